/// The stylesheet and the little JavaScript, compiled into the binary so `tandem` runs from any folder.
enum Assets {
    static let stylesheet = #"""
:root {
  --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #5f6b7a; --line: #dde2ea;
  --accent: #2f5bea; --accent-ink: #fff; --danger: #c23a3a; --warn-bg: #fff6e0; --warn-line: #e8b64c;
  --ok-bg: #e8f6ee; --err-bg: #fdecec;
  --po: #6d3fd1; --sm: #0b6b52; --dev: #2f5bea; --sh: #9a6a00;
  --radius: 10px; --gap: 1rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 10; }
.topbar { display: flex; align-items: center; justify-content: space-between; gap: var(--gap);
  padding: .75rem 1.25rem; background: var(--ink); color: #fff; flex-wrap: wrap; }
.topbar a { color: #fff; text-decoration: none; }
.brand { font-weight: 700; font-size: 1.15rem; letter-spacing: .02em; }
.topbar nav { display: flex; align-items: center; gap: .9rem; flex-wrap: wrap; }
.who { opacity: .8; }
.container { width: 100%; max-width: 1100px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; flex: 1; }
.footer { color: var(--muted); text-align: center; padding: 1rem; font-size: .85rem; }
h1 { font-size: 1.6rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
h3 { font-size: .95rem; margin: .75rem 0 .25rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 1.1rem 1.25rem; margin-bottom: var(--gap); }
.card.narrow { max-width: 420px; margin: 2rem auto; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: var(--gap); align-items: start; }
.grid .card { margin: 0; }
.stack { display: flex; flex-direction: column; gap: .75rem; }
.stack.compact { gap: .5rem; margin-top: .75rem; border-top: 1px dashed var(--line); padding-top: .5rem; }
.row { display: flex; gap: .75rem; align-items: flex-end; flex-wrap: wrap; }
.row .field { flex: 1 1 200px; }
form.inline { display: inline; }
.field { display: flex; flex-direction: column; gap: .25rem; font-size: .9rem; }
.field span { font-weight: 600; }
.field small { color: var(--muted); }
.field-error, .form-error { color: var(--danger); font-weight: 600; font-size: .85rem; }
.field [aria-invalid="true"] { border-color: var(--danger); outline: 2px solid var(--danger); outline-offset: 1px; }
input, select, textarea { font: inherit; padding: .5rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; color: var(--ink); width: 100%; }
input:focus, select:focus, textarea:focus, button:focus, a:focus { outline: 3px solid rgba(47, 91, 234, .35); outline-offset: 1px; }
.button { display: inline-block; font: inherit; font-weight: 600; border: 0; border-radius: 6px; padding: .55rem 1rem;
  background: var(--accent); color: var(--accent-ink); cursor: pointer; text-decoration: none; }
.button.small { padding: .3rem .7rem; font-size: .9rem; }
.button.secondary { background: #e9eefc; color: var(--accent); }
.button.danger { background: var(--danger); }
.link { background: none; border: 0; color: inherit; cursor: pointer; font: inherit; text-decoration: underline; padding: 0; }
.topbar .link { color: #fff; }
.link.danger { color: var(--danger); font-size: .85rem; }
.flash { border-radius: var(--radius); padding: .75rem 1rem; margin-bottom: var(--gap); border: 1px solid var(--line); }
.flash.error { background: var(--err-bg); border-color: #f0b4b4; }
.flash.notice { background: var(--ok-bg); border-color: #a9dcbf; }
.flash.warning { background: var(--warn-bg); border-color: var(--warn-line); }
.muted { color: var(--muted); }
.empty, .hint { color: var(--muted); font-style: italic; }
.crumbs { color: var(--muted); margin: 0; font-size: .9rem; }
.key { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .8em; background: #eef1f6; border-radius: 4px; padding: .1rem .4rem; color: var(--muted); }
.product-list { list-style: none; padding: 0; margin: 0 0 1.5rem; display: flex; flex-direction: column; gap: .5rem; }
.product-row { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: .75rem 1rem; }
.product-name { font-weight: 600; font-size: 1.05rem; }
.people { list-style: none; padding: 0; margin: 0; }
.person { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; padding: .45rem 0; border-bottom: 1px solid var(--line); }
.person:last-child { border-bottom: 0; }
.person .name { font-weight: 600; }
.person .email { font-size: .85rem; flex: 1; }
.badges { display: inline-flex; gap: .3rem; }
.badge { font-size: .75rem; font-weight: 600; border-radius: 999px; padding: .1rem .55rem; color: #fff; white-space: nowrap; }
.badge.productOwner { background: var(--po); }
.badge.scrumMaster { background: var(--sm); }
.badge.developer { background: var(--dev); }
.badge.stakeholder { background: var(--sh); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.small { font-size: .85rem; }
.filter-bar { display: flex; flex-wrap: wrap; gap: .6rem; align-items: flex-end; background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: .75rem 1rem; margin-bottom: var(--gap); }
.filter-bar .field { flex: 1 1 140px; }
.backlog-layout { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: var(--gap); align-items: start; }
.item-layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: var(--gap); align-items: start; }
@media (max-width: 900px) { .backlog-layout, .item-layout { grid-template-columns: 1fr; } }
.create-item { display: flex; gap: .6rem; align-items: flex-end; flex-wrap: wrap; margin-bottom: .75rem; }
.create-item .field:first-of-type { flex: 1 1 260px; }
.backlog { list-style: none; margin: 0; padding: 0; counter-reset: rank; display: flex; flex-direction: column; gap: .35rem; }
.backlog > li.item { counter-increment: rank; display: flex; flex-wrap: nowrap; align-items: center; gap: .5rem; background: var(--card);
  border: 1px solid var(--line); border-left: 4px solid #c9d0db; border-radius: 8px; padding: .4rem .65rem; min-width: 0; position: relative; }
.backlog > li.item.highlight, .backlog > li.item:target { background: #fff6d1; border-color: #e8b64c; }
.backlog > li.item .badges { flex-shrink: 0; }
.backlog > li.item .declined, .backlog > li.item details, .backlog > li.item .row-error { flex-basis: 100%; }
.backlog > li.item:has(details[open]), .backlog > li.item:has(.declined), .backlog > li.item:has(.row-error) { flex-wrap: wrap; }
.row-error { color: var(--danger); font-weight: 600; font-size: .85rem; margin: .2rem 0 0; }
.declined { font-size: .85rem; color: var(--ink); }
.outcome.accepted { color: #1b6e47; font-weight: 600; }
.outcome.declined { color: var(--danger); font-weight: 600; }
.outcome.withdrawn, .outcome.open { color: var(--muted); }
ul.plain { list-style: none; padding: 0; margin: 0; }
.status { display: none; }
.status.shown { display: block; border-radius: var(--radius); padding: .6rem 1rem; margin-bottom: var(--gap); background: var(--ok-bg); border: 1px solid #a9dcbf; }
.backlog > li.item::before { content: counter(rank); color: var(--muted); font-size: .8rem; min-width: 1.6rem; text-align: right; }
.backlog > li.item:focus { outline: 3px solid rgba(47, 91, 234, .45); outline-offset: 2px; }
.backlog > li.item.dragging { opacity: .6; box-shadow: 0 4px 14px rgba(0,0,0,.15); }
.backlog > li.level-described { border-left-color: #8aa4e8; }
.backlog > li.level-estimated { border-left-color: #e0b341; }
.backlog > li.level-ready { border-left-color: #2aa36b; }
.item .title { font-weight: 600; flex: 1 1 auto; min-width: 0; text-decoration: none; color: var(--ink); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.item .title:hover { text-decoration: underline; }
.ref { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .8rem; color: var(--muted); white-space: nowrap; flex-shrink: 0; }
.handle { cursor: grab; user-select: none; touch-action: none; color: var(--muted); font-size: 1.1rem; padding: 0 .2rem; }
.pill { font-size: .72rem; border-radius: 999px; padding: .1rem .5rem; background: #eef1f6; color: var(--muted); white-space: nowrap; }
.pill.level.idea { background: #f1f1f1; }
.pill.level.described { background: #e4ebfb; color: #2b4aa8; }
.pill.level.estimated { background: #fbf1d6; color: #7a5a00; }
.pill.level.ready { background: #dff3e8; color: #1b6e47; }
.pill.points { background: #ece6fb; color: #5333a8; }
.pill.wsjf { background: #e3f4f7; color: #0d6472; }
.pill.status.declined { background: #fdecec; color: var(--danger); }
.pill.status.done { background: #dff3e8; color: #1b6e47; }
.warning { font-size: .78rem; color: #8a4b00; background: var(--warn-bg); border: 1px solid var(--warn-line); border-radius: 6px; padding: .05rem .4rem; }
.move-form { display: inline-flex; gap: .15rem; margin-left: auto; flex-shrink: 0; }
/* A title keeps its whole line: when it and the badges do not fit side by side, the badges move under it. */
.backlog > li.item { flex-wrap: wrap; row-gap: .2rem; }
.item .title { flex: 0 1 auto; }
.backlog > li.item .badges { margin-left: auto; }
/* On a desktop the move buttons and "propose a move" appear over the row's end when the row is hovered or focused
   (keyboard users focus the row; its controls follow it), without keeping room of their own: the title has the row. */
@media (min-width: 701px) {
  .backlog > li.item .move-form, .backlog > li.item details.propose:not([open]) {
    position: absolute; right: .5rem; top: 50%; transform: translateY(-50%); background: var(--card); padding: .15rem .3rem;
    border-radius: 6px; box-shadow: 0 1px 8px rgba(0, 0, 0, .15); opacity: 0; pointer-events: none; margin: 0;
  }
  .backlog > li.item:hover .move-form, .backlog > li.item:focus-within .move-form, .backlog > li.item.highlight .move-form,
  .backlog > li.item:hover details.propose, .backlog > li.item:focus-within details.propose { opacity: 1; pointer-events: auto; }
}
button[hidden] { display: none; }
.icon { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 5px; width: 1.9rem; height: 1.9rem; cursor: pointer; }
.icon:hover { background: #eef1f6; }
details.propose { margin-left: auto; font-size: .9rem; }
details.propose[open] { flex-basis: 100%; }
details summary { cursor: pointer; color: var(--accent); }
.proposal { border-top: 1px solid var(--line); padding-top: .5rem; margin-top: .5rem; }
.proposal .rationale { font-style: italic; margin: .25rem 0; }
.decision { display: flex; flex-direction: column; gap: .4rem; }
.inline-form { display: flex; gap: .4rem; align-items: flex-end; }
.inline-form .field { flex: 1; }
.graph svg { width: 100%; height: auto; display: block; }
.graph.scroll { overflow-x: auto; }
.graph.scroll svg { width: auto; max-width: none; }
.dependency-graph .node rect { fill: #fff; stroke: #9aa6b8; }
.dependency-graph .node.done rect, .dependency-graph .node.declined rect { fill: #f1f1f1; stroke-dasharray: 4 3; }
.dependency-graph .node.level-ready rect { stroke: #2aa36b; stroke-width: 2; }
.dependency-graph text { font-size: 11px; fill: var(--ink); }
.dependency-graph text.ref { font-weight: 700; fill: var(--muted); }
.dependency-graph .edge { fill: none; stroke: #7d8aa0; stroke-width: 1.5; }
.dependency-graph .edge.open { stroke: #c77700; }
.dependency-graph .arrowhead { fill: #7d8aa0; }
.checklist { list-style: none; padding: 0; }
.checklist .done { color: #1b6e47; }
.check { display: flex; gap: .4rem; align-items: center; font-size: .9rem; }
.check input { width: auto; }
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .75rem; }
.poker { display: flex; flex-wrap: wrap; gap: .35rem; align-items: center; }
.card-button { font: inherit; font-weight: 700; width: 2.6rem; height: 3.4rem; border-radius: 6px; border: 2px solid var(--accent); background: #fff; color: var(--accent); cursor: pointer; }
.card-button:hover { background: #e9eefc; }
.votes, .activity { padding-left: 1.1rem; }
.activity time { color: var(--muted); font-size: .8rem; }
.prose { white-space: pre-wrap; }
/* A phone: one column, nothing off-screen, touch targets of at least 44 px. */
@media (max-width: 700px) {
  .backlog-layout, .item-layout { grid-template-columns: minmax(0, 1fr); }
  .backlog > li.item { flex-wrap: wrap; }
  .item .title { white-space: normal; flex-basis: 60%; }
  .backlog > li.item .badges { flex-shrink: 1; min-width: 0; flex-wrap: wrap; }
  .warning { white-space: normal; }
  .move-form { margin-left: 0; }
  .icon { width: 44px; height: 44px; }
  .button, .link, summary, .skip:focus { min-height: 44px; }
  .button, .link { padding-top: .6rem; padding-bottom: .6rem; }
  .inline-form { flex-direction: column; align-items: stretch; }
  .filter-bar .field { flex-basis: 100%; }
  .topbar { padding: .5rem .75rem; }
  input, select, textarea { min-height: 44px; }
  .card-button { width: 44px; height: 56px; }
}
.partnership-header { border: 1px solid var(--line); border-radius: var(--radius); background: var(--card); padding: .4rem .9rem; margin-bottom: var(--gap); }
.partnership-header p { margin: .15rem 0; } .partnership-header .pair { display: flex; flex-wrap: wrap; gap: .3rem 1.5rem; }
/* Partnership: dashboard tiles, badges, impediment ageing, the radar. */
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: var(--gap); }
.tiles .tile { margin: 0; border-left: 6px solid var(--line); }
.tile.healthy { border-left-color: #2f8f5b; } .tile.unhealthy { border-left-color: var(--danger); } .tile.unknown { border-left-color: #8a8f98; }
.tile h2 { font-size: 1rem; margin: 0 0 .3rem; } .tile .value strong { font-size: 1.5rem; }
.badge { font-size: .78rem; border-radius: 999px; padding: .05rem .5rem; border: 1px solid var(--line); white-space: nowrap; }
.badge.healthy { background: var(--ok-bg); color: #1b5e3b; } .badge.unhealthy { background: var(--err-bg); color: #8c1d1d; } .badge.unknown { background: #f0f1f4; color: #3d4350; }
.impediment.age-fresh { border-left: 6px solid #2f8f5b; } .impediment.age-ageing { border-left: 6px solid var(--warn-line); } .impediment.age-old { border-left: 6px solid var(--danger); }
.question.blocking { border-left: 6px solid var(--danger); }
.decision.superseded { opacity: .75; }
tr.gap { background: var(--warn-bg); }
.radar .ring { fill: none; stroke: #d5d9e2; } .radar .po { fill: rgba(47, 91, 234, .15); stroke: var(--accent); stroke-width: 2; }
.radar .sm { fill: none; stroke: #b5590f; stroke-width: 2; stroke-dasharray: 5 3; }
.trend { display: flex; flex-wrap: wrap; align-items: center; gap: .2rem .6rem; margin: .2rem 0; } .sparkline { flex: none; }
.trend > span { min-width: 0; flex: 1 1 8rem; }
.chart-figure { margin: .5rem 0; } .chart-numbers summary { font-size: .85rem; color: var(--muted, #555); cursor: pointer; }
/* Each chart is drawn twice, for a desktop card and for a phone, at about 1:1: its text stays at 13 px. */
svg.chart { display: block; width: 100%; height: auto; margin: .25rem 0; }
.chart-narrow { display: none; }
@media (max-width: 1000px) { .chart-wide { display: none; } .chart-narrow { display: block; } .chart-narrow svg.chart { max-width: 560px; } }
.trend-single { margin: .2rem 0; }
.todo { background: var(--warn-bg); border: 1px solid var(--warn-line); border-radius: 6px; padding: .35rem .55rem; font-size: .92rem; }
.attention-summary { font-weight: 600; }
.refs a { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
/* Choices that start unchosen: ratings 1 to 5 in a row, met or not met. */
fieldset.choices { display: flex; flex-wrap: wrap; gap: .35rem 1rem; align-items: center; margin: 0; }
fieldset.choices legend { font-weight: 600; font-size: .9rem; padding: 0 .2rem; }
fieldset.choices .choice { display: inline-flex; gap: .3rem; align-items: center; font-size: .95rem; min-height: 2rem; }
fieldset.choices .choice input { width: auto; min-height: 0; }
fieldset.choices.invalid { border-color: var(--danger); }
fieldset.choices .field-error { flex-basis: 100%; }
fieldset.expectation legend { font-weight: 400; }
.card-meta { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin: .2rem 0; }
.card-actions { display: flex; flex-wrap: wrap; gap: .4rem; margin: .4rem 0 .2rem; }
.card-actions form.inline { display: inline-flex; }
.sprint-items li, .plain li { overflow-wrap: anywhere; }
.sprint-items form.inline { margin-left: .6rem; }
.search-row { display: flex; gap: .5rem; align-items: flex-end; flex-wrap: wrap; margin: .5rem 0; }
.search-row .field { flex: 1 1 220px; }
fieldset.candidates ul { max-height: 22rem; overflow-y: auto; }
fieldset.candidates li { padding: .2rem 0; border-bottom: 1px solid var(--line); }
ul.consequences li { margin: .3rem 0; }
.notification-group h2 { margin-top: 1rem; }
.poker .card-button.chosen { background: var(--accent); color: #fff; }
/* Sprints: the board's columns, the capacity meter, the charts. */
.board { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: var(--gap); margin-bottom: var(--gap); }
.board .column { background: #f3f5f9; border: 1px solid var(--line); border-radius: var(--radius); padding: .6rem; min-height: 8rem; }
.board .column.drop { outline: 3px dashed var(--accent); }
.board .cards > li { margin: 0 0 .6rem; padding: .6rem .75rem; cursor: grab; }
.board .cards > li:focus { outline: 3px solid var(--accent); }
.board .cards > li.grabbed { opacity: .6; }
.work-form { margin-top: .3rem; }
.dod { border: 0; padding: 0; margin: .2rem 0; }
.check { display: block; }
meter.capacity { width: 100%; height: 1.4rem; }
.meter-words { font-weight: 600; }
.overdue { color: var(--danger); font-weight: 600; }
.state { font-size: .8rem; border: 1px solid var(--line); border-radius: 999px; padding: 0 .5rem; }
.state.active { background: var(--ok-bg); }
.radar-figure svg.chart { max-width: 480px; }
/* The health check's side-by-side table fits a phone: the foundation wraps, every column (the gap too) stays in view. */
table.gaps { table-layout: fixed; } table.gaps th:first-child { width: 42%; } table.gaps th, table.gaps td { overflow-wrap: anywhere; }
table.gaps caption { text-align: left; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table.figures, table.chart-table { border-collapse: collapse; width: 100%; }
table.figures th, table.figures td, table.chart-table th, table.chart-table td { border-bottom: 1px solid var(--line); padding: .2rem .4rem; text-align: left; }
dl.figures { display: grid; grid-template-columns: auto 1fr; gap: .2rem .8rem; }
@media (max-width: 600px) {
  .board { grid-template-columns: 1fr; }
  .container { padding: 1rem .75rem 2rem; }
  .row { flex-direction: column; align-items: stretch; }
}

/* Live pages: what someone else changed, said once at the bottom of the window; a note beside an edited field. */
.secret-value, .webhook-url, .change-names { overflow-wrap: anywhere; word-break: break-all; }
.webhooks > .card { margin-bottom: 1rem; }
.sprint-name { display: block; min-width: 11rem; font-weight: normal; font-size: .85rem; color: var(--muted); }
.card.secret { border-left: 4px solid var(--warn-line); }
table.deliveries td.failed { color: var(--danger); font-weight: 600; }
.live-notice { position: fixed; left: 1rem; right: 1rem; bottom: 1rem; width: fit-content; max-width: 36rem;
  margin: 0 auto; padding: .6rem 1rem; border-radius: 8px; background: var(--ink); color: #fff; box-shadow: 0 4px 16px rgba(0,0,0,.2);
  opacity: 0; pointer-events: none; transition: opacity .2s; z-index: 20; }
.live-notice.shown { opacity: 1; }
.live-note { margin: 0 0 .5rem; padding: .4rem .6rem; border-left: 3px solid var(--warn-line); background: var(--warn-bg); font-size: .9rem; }
"""#

    static let script = #"""
// Progressive enhancement only: every page works without this file.

// A refused form is shown again with the reason beside its field: bring that field into view and give it focus, so
// the person does not have to look for it (its message is announced: it is an alert).
(function () {
  var problem = document.querySelector(".field-error, .form-error");
  if (!problem) { return; }
  var holder = problem.closest("label, fieldset, form");
  var control = holder && holder.querySelector("input:not([type=hidden]), select, textarea, button");
  var details = problem.closest("details");
  if (details) { details.open = true; }
  problem.scrollIntoView({ block: "center" });
  if (control) { control.focus({ preventScroll: true }); }
})();

(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.classList.contains("danger") && !window.confirm("Are you sure? " + button.textContent.trim())) {
      event.preventDefault();
    }
  });

  var list = document.getElementById("backlog");
  var statusRegion = document.getElementById("status");

  // One visible status region, announced by screen readers (role=status).
  function announce(text) {
    if (!statusRegion) { return; }
    statusRegion.textContent = "";
    statusRegion.classList.add("shown");
    window.setTimeout(function () { statusRegion.textContent = text; }, 30);
  }
  function items() { return list ? Array.prototype.slice.call(list.querySelectorAll(":scope > li.item")) : []; }
  function label(li) { return li.getAttribute("data-ref") + " " + li.querySelector(".title").textContent; }
  function position(li) { return items().indexOf(li) + 1; }

  // The list is one tab stop: the current row takes focus (its own controls follow it in the tab order), the arrow
  // keys move between rows. Without the script every control is in the tab order.
  var controls = "a, button, summary, input, select, textarea";
  function activate(li) {
    items().forEach(function (row) {
      var current = row === li;
      row.setAttribute("tabindex", current ? "0" : "-1");
      row.querySelectorAll(controls).forEach(function (control) {
        if (current) { control.removeAttribute("tabindex"); } else { control.setAttribute("tabindex", "-1"); }
      });
    });
  }
  function initialRow() {
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.matches && target.matches("#backlog > li.item")) { return target; }
    return list.querySelector(":scope > li.item.highlight") || items()[0];
  }
  if (list && items().length) {
    var first = initialRow();
    activate(first);
    if (first.classList.contains("highlight") || window.location.hash === "#" + first.id) {
      first.scrollIntoView({ block: "center" });
      first.focus({ preventScroll: true });
    }
    list.addEventListener("focusin", function (event) {
      var li = event.target.closest && event.target.closest("#backlog > li.item");
      if (li && li.getAttribute("tabindex") !== "0") { activate(li); }
    });
  }

  // "Next 50 items" appends the next rows in place (when clicked, or when it scrolls into view) instead of leaving
  // the page; without this script it is an ordinary link to the next page.
  function loadMore(link) {
    if (!list || link.getAttribute("aria-busy") === "true") { return Promise.resolve(); }
    link.setAttribute("aria-busy", "true");
    return fetch(link.href, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (response) {
      return response.ok ? response.text() : Promise.reject(response.status);
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var rows = page.querySelectorAll("#backlog > li.item");
      rows.forEach(function (row) {
        var copy = document.importNode(row, true);
        copy.setAttribute("tabindex", "-1");
        copy.querySelectorAll(controls).forEach(function (control) { control.setAttribute("tabindex", "-1"); });
        list.appendChild(copy);
      });
      var next = page.querySelector("a[data-more]");
      var holder = link.parentNode;
      if (next) { link.href = next.getAttribute("href"); link.removeAttribute("aria-busy"); } else { holder.parentNode.removeChild(holder); }
      refreshControls();
      announce(rows.length + " more items shown.");
    }).catch(function () { window.location.href = link.href; });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-more]");
    if (link) { event.preventDefault(); loadMore(link); }
  });
  var more = document.querySelector("a[data-more]");
  if (more && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { if (entry.isIntersecting) { loadMore(entry.target); } });
    }, { rootMargin: "400px" }).observe(more);
  }

  if (list) {
    list.addEventListener("keydown", function (event) {
      var li = event.target;
      if (!li.matches || !li.matches("#backlog > li.item")) { return; }
      if (event.key === "Enter") {
        var link = li.querySelector("a.title");
        if (link) { link.click(); }
        return;
      }
      var keys = { ArrowUp: "up", ArrowDown: "down", Home: "top", End: "bottom" };
      var direction = keys[event.key];
      if (!direction) { return; }
      event.preventDefault();
      if (event.altKey && list.getAttribute("data-can-order") === "true" && li.querySelector(".move-form")) {
        move(li, direction);
        return;
      }
      var all = items(), index = all.indexOf(li);
      var target = direction === "up" ? all[index - 1] : direction === "down" ? all[index + 1] : direction === "top" ? all[0] : all[all.length - 1];
      if (target) { activate(target); target.focus(); }
    });
  }

  // After a live update the rows are the server's again: the current row keeps the tab stop.
  document.addEventListener("tandem:live", function () {
    if (!list || !items().length) { return; }
    var current = items().filter(function (li) { return li.getAttribute("tabindex") === "0"; })[0] || items()[0];
    activate(current);
    if (typeof refreshControls === "function") { refreshControls(); }
  });

  if (!list || list.getAttribute("data-can-order") !== "true") { return; }

  // After a move every row's buttons fit its new place: hidden where they make no sense, naming the current
  // neighbours, and the position announced in each row's label.
  function refreshControls() {
    var all = items(), more = !!document.querySelector("a[data-more]");
    all.forEach(function (li, index) {
      var previous = all[index - 1], next = all[index + 1];
      var title = li.querySelector(".title");
      li.setAttribute("aria-label", li.getAttribute("data-ref") + " " + (title ? title.textContent : "") + ", position " + (index + 1));
      li.querySelectorAll("button[data-direction]").forEach(function (button) {
        var direction = button.getAttribute("data-direction");
        var shown = direction === "top" || direction === "up" ? !!previous : direction === "down" ? !!next : (!!next || more);
        button.hidden = !shown;
        if (direction === "up" && previous) { button.value = "before:" + previous.getAttribute("data-id"); }
        if (direction === "down" && next) { button.value = "after:" + next.getAttribute("data-id"); }
      });
    });
  }

  // Sends the move the way the form would, asking for JSON; the server re-checks every right.
  function send(li, fields) {
    var body = new URLSearchParams();
    body.set("csrf", list.getAttribute("data-csrf"));
    body.set("version", li.getAttribute("data-version"));
    Object.keys(fields).forEach(function (key) { body.set(key, fields[key]); });
    return fetch("/items/" + encodeURIComponent(li.getAttribute("data-id")) + "/move", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    });
  }

  function highlight(li) {
    items().forEach(function (row) { row.classList.remove("highlight"); });
    li.classList.add("highlight");
    li.scrollIntoView({ block: "nearest" });
  }

  // A refused move: the list is drawn again in the server's current order, and the reason stands next to the item.
  function refused(id, message) {
    return fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (response) {
      return response.ok ? response.text() : Promise.reject(response.status);
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var fresh = page.getElementById("backlog");
      if (fresh) { list.innerHTML = fresh.innerHTML; }
    }).catch(function () {}).then(function () {
      var li = document.getElementById("item-" + id);
      refreshControls();
      if (li) {
        var note = document.createElement("p");
        note.className = "row-error";
        note.setAttribute("role", "alert");
        note.textContent = "Not moved: " + message;
        li.appendChild(note);
        activate(li);
        li.focus();
        highlight(li);
      }
      announce("Not moved: " + message);
    });
  }

  // The DOM is already in the new order; the server confirms (the row is highlighted, the status says where) or
  // refuses (the list is drawn again in the server's order, the reason beside the row).
  function place(li, fields, done) {
    list.setAttribute("aria-busy", "true");
    li.querySelectorAll(".row-error").forEach(function (note) { note.remove(); });
    activate(li);
    li.focus();
    send(li, fields).then(function (result) {
      list.removeAttribute("aria-busy");
      if (result.ok) {
        li.setAttribute("data-version", String(result.json.version));
        li.querySelectorAll("input[name=version]").forEach(function (input) { input.value = String(result.json.version); });
        refreshControls();
        highlight(li);
        announce(done());
      } else {
        refused(li.getAttribute("data-id"), (result.json.error && result.json.error.message) || "the server refused.");
      }
    }).catch(function () {
      list.removeAttribute("aria-busy");
      refused(li.getAttribute("data-id"), "the server could not be reached.");
    });
  }

  function commit(li, originalNext) {
    var previous = li.previousElementSibling, next = li.nextElementSibling;
    if (next === originalNext) { return; }
    var fields = previous ? { after: previous.getAttribute("data-id") } : { before: next.getAttribute("data-id") };
    place(li, fields, function () { return "Moved " + label(li) + " to position " + position(li) + " of " + items().length + "."; });
  }

  function move(li, direction) {
    var originalNext = li.nextElementSibling;
    var all = items();
    if (direction === "up") {
      if (!li.previousElementSibling) { announce(label(li) + " is already at the top."); return; }
      list.insertBefore(li, li.previousElementSibling);
    } else if (direction === "down") {
      if (!li.nextElementSibling) { announce(label(li) + " is already at the bottom of the items shown."); return; }
      list.insertBefore(li, li.nextElementSibling.nextElementSibling);
    } else if (direction === "top") {
      if (all[0] === li) { announce(label(li) + " is already at the top."); return; }
      list.insertBefore(li, all[0]);
    } else if (direction === "bottom") {
      if (all[all.length - 1] === li && !document.querySelector("a[data-more]")) { announce(label(li) + " is already at the bottom."); return; }
      // The bottom of the whole backlog may lie beyond the rows shown: the server places it, the row goes last here.
      list.appendChild(li);
      place(li, { to: "bottom" }, function () {
        var beyond = !!document.querySelector("a[data-more]");
        return "Moved " + label(li) + " to the bottom of the backlog" + (beyond ? "." : ", to position " + position(li) + " of " + items().length + ".");
      });
      return;
    }
    commit(li, originalNext);
  }

  // The buttons name neighbours from when the page was drawn; with the script, act on the current order.
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-direction]");
    if (!button) { return; }
    event.preventDefault();
    move(button.closest("li.item"), button.getAttribute("data-direction"));
  });

  // Dragging by the handle; near the top or bottom edge of the window the page scrolls.
  var drag = null, scroller = null;
  function stopScrolling() { if (scroller) { window.clearInterval(scroller); scroller = null; } }
  list.addEventListener("pointerdown", function (event) {
    var handle = event.target.closest(".handle");
    if (!handle || event.button !== 0) { return; }
    event.preventDefault();
    var li = handle.closest("li.item");
    drag = { li: li, originalNext: li.nextElementSibling, y: event.clientY };
    li.classList.add("dragging");
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    drag.y = event.clientY;
    var edge = 60, speed = event.clientY < edge ? -12 : event.clientY > window.innerHeight - edge ? 12 : 0;
    stopScrolling();
    if (speed) { scroller = window.setInterval(function () { window.scrollBy(0, speed); }, 16); }
    var over = document.elementFromPoint(event.clientX, event.clientY);
    var target = over && over.closest("#backlog > li.item");
    if (!target || target === drag.li) { return; }
    var box = target.getBoundingClientRect();
    list.insertBefore(drag.li, event.clientY < box.top + box.height / 2 ? target : target.nextElementSibling);
  });
  document.addEventListener("pointerup", function () {
    stopScrolling();
    if (!drag) { return; }
    var current = drag;
    drag = null;
    current.li.classList.remove("dragging");
    commit(current.li, current.originalNext);
  });
})();

// The sprint board: drag a card to a column, or focus it and press Alt+Left/Right, to move its work. Both submit the
// card's own form for that work state (the forms work without this script), so the server's rules apply unchanged.
(function () {
  var board = document.querySelector("[data-board]");
  if (!board || board.getAttribute("data-can-move") !== "true") { return; }
  var order = ["todo", "doing", "done"];
  function submit(card, state) {
    var button = card.querySelector("button[data-target='" + state + "']");
    if (button) { button.form.requestSubmit(button); }
  }
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("li[data-id]");
    if (!card) { return; }
    card.classList.add("grabbed");
    event.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
    event.dataTransfer.effectAllowed = "move";
  });
  board.addEventListener("dragend", function (event) {
    var card = event.target.closest && event.target.closest("li[data-id]");
    if (card) { card.classList.remove("grabbed"); }
  });
  board.querySelectorAll(".column").forEach(function (column) {
    column.addEventListener("dragover", function (event) { event.preventDefault(); column.classList.add("drop"); });
    column.addEventListener("dragleave", function () { column.classList.remove("drop"); });
    column.addEventListener("drop", function (event) {
      event.preventDefault();
      column.classList.remove("drop");
      var card = board.querySelector("li[data-id='" + event.dataTransfer.getData("text/plain") + "']");
      if (card && card.getAttribute("data-state") !== column.getAttribute("data-state")) { submit(card, column.getAttribute("data-state")); }
    });
  });
  board.addEventListener("keydown", function (event) {
    var card = event.target.closest && event.target.closest("li[data-id]");
    if (!card || event.target !== card || !event.altKey || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) { return; }
    var index = order.indexOf(card.getAttribute("data-state")) + (event.key === "ArrowRight" ? 1 : -1);
    if (index < 0 || index >= order.length) { return; }
    event.preventDefault();
    submit(card, order[index]);
  });
})();

// Live pages: a page marked with data-live-product follows the product's changes and updates in place. One stream
// per browser: the tab holding the lock reads it and passes each event to the other tabs of the product. On each
// change the page is fetched again and merged into the open one (morphed, not replaced), so focus, scroll, open
// details and typed text stay; a field whose stored value changed while it was being edited keeps what was typed
// and says so beside it. Without this script (or without fetch streams) the page is a snapshot, as before.
(function () {
  "use strict";
  var main = document.querySelector("main[data-live-product]");
  if (!main || !window.fetch || !window.TextDecoder) { return; }
  var product = main.getAttribute("data-live-product");
  var me = main.getAttribute("data-live-user");
  var channel = window.BroadcastChannel ? new BroadcastChannel("tandem-live-" + product) : null;
  var lastId = null;
  var notice = document.getElementById("live-notice");

  function say(text) {
    if (!notice || !text) { return; }
    notice.textContent = text;
    notice.classList.add("shown");
    window.clearTimeout(say.timer);
    say.timer = window.setTimeout(function () { notice.classList.remove("shown"); }, 8000);
  }

  function isField(node) { return node.nodeType === 1 && (node.tagName === "INPUT" || node.tagName === "TEXTAREA" || node.tagName === "SELECT"); }
  function dirty(field) {
    if (field.type === "hidden" || field.type === "submit" || field.type === "button") { return false; }
    if (field.type === "checkbox" || field.type === "radio") { return field.checked !== field.defaultChecked; }
    if (field.tagName === "SELECT") { return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; }); }
    return field.value !== field.defaultValue;
  }
  function busy(node) {
    if (node.nodeType !== 1) { return false; }
    if (isField(node)) { return dirty(node) || node === document.activeElement; }
    return node.contains(document.activeElement) && document.activeElement !== document.body ||
      Array.prototype.some.call(node.querySelectorAll("input, textarea, select"), dirty);
  }
  function key(node) { return node.nodeType === 1 ? (node.getAttribute("data-id") || node.id || null) : null; }
  function sameKind(a, b) { return a.nodeType === b.nodeType && a.nodeName === b.nodeName; }

  function note(field) {
    var form = field.form || field.closest("form") || field.parentNode;
    if (!form || form.querySelector(".live-note")) { return; }
    var p = document.createElement("p");
    p.className = "live-note";
    p.setAttribute("role", "status");
    p.textContent = "Someone else changed this while you were editing. What you typed is kept; saving will show you their version first.";
    form.insertBefore(p, form.firstChild);
  }

  function syncAttributes(from, to) {
    Array.prototype.slice.call(from.attributes).forEach(function (attribute) {
      if (!to.hasAttribute(attribute.name) && attribute.name !== "tabindex" && attribute.name !== "open") { from.removeAttribute(attribute.name); }
    });
    Array.prototype.forEach.call(to.attributes, function (attribute) {
      if (attribute.name === "open" || attribute.name === "tabindex") { return; }  // the person's and the scripts' state
      var value = attribute.value;
      if (attribute.name === "class") {  // what the page's scripts mark for a moment (the row just moved, a drag)
        ["highlight", "dragging", "grabbed", "drop"].forEach(function (mark) {
          if (from.classList.contains(mark) && (" " + value + " ").indexOf(" " + mark + " ") < 0) { value += " " + mark; }
        });
      }
      if (from.getAttribute(attribute.name) !== value) { from.setAttribute(attribute.name, value); }
    });
  }

  function morph(from, to) {
    if (from.nodeType === 1 && from.hasAttribute("data-live-keep")) { return; }  // a script's own region, such as an announcement
    if (from.nodeType === 3 || from.nodeType === 8) {
      if (from.nodeValue !== to.nodeValue) { from.nodeValue = to.nodeValue; }
      return;
    }
    if (isField(from)) {
      var stored = from.tagName === "TEXTAREA" ? to.textContent : to.getAttribute("value") || "";
      // A form being edited keeps the version it was opened at, so its save meets the usual conflict, not a silent overwrite.
      // A new version under it is said beside the form.
      if (from.type === "hidden" && from.form && Array.prototype.some.call(from.form.elements, dirty)) {
        if (from.name === "version" && stored !== from.value) { note(from); }
        return;
      }
      if (dirty(from)) {
        if (from.type !== "checkbox" && from.type !== "radio" && from.tagName !== "SELECT" && stored !== from.defaultValue) { note(from); }
        return;
      }
      syncAttributes(from, to);
      if (from.tagName === "SELECT") { morphChildren(from, to); return; }
      if (from.type === "checkbox" || from.type === "radio") { from.checked = from.defaultChecked = to.hasAttribute("checked"); return; }
      if (from.tagName === "TEXTAREA") { from.defaultValue = stored; }
      if (from !== document.activeElement) { from.value = stored; }
      return;
    }
    syncAttributes(from, to);
    morphChildren(from, to);
  }

  function morphChildren(parent, next) {
    var old = Array.prototype.slice.call(parent.childNodes);
    var byKey = {};
    old.forEach(function (node) { var k = key(node); if (k) { byKey[k] = node; } });
    var unkeyed = old.filter(function (node) { return !key(node); });
    var cursor = 0, used = [], result = [];
    Array.prototype.slice.call(next.childNodes).forEach(function (wanted) {
      var k = key(wanted), match = null;
      if (k) {
        match = byKey[k] || null;
      } else {
        for (var i = cursor; i < unkeyed.length; i++) {
          if (sameKind(unkeyed[i], wanted)) { match = unkeyed[i]; cursor = i + 1; break; }
        }
      }
      if (match && used.indexOf(match) < 0 && sameKind(match, wanted)) {
        morph(match, wanted);
        used.push(match);
        result.push(match);
      } else {
        result.push(document.importNode(wanted, true));
      }
    });
    old.forEach(function (node) {
      if (used.indexOf(node) >= 0) { return; }
      if (busy(node)) { result.push(node); } else if (node.parentNode === parent) { parent.removeChild(node); }
    });
    result.forEach(function (node, index) {
      if (parent.childNodes[index] !== node) { parent.insertBefore(node, parent.childNodes[index] || null); }
    });
  }

  var refreshing = null, again = false;
  function refresh() {
    if (refreshing) { again = true; return refreshing; }
    refreshing = fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (!html) { return; }
      var page = new DOMParser().parseFromString(html, "text/html");
      var active = document.activeElement, start = null, end = null;
      try { start = active.selectionStart; end = active.selectionEnd; } catch (e) { /* not a text field */ }
      document.querySelectorAll("[data-live-region]").forEach(function (region) {
        var fresh = page.querySelector("[data-live-region='" + region.getAttribute("data-live-region") + "']");
        if (fresh) { morph(region, fresh); }
      });
      if (active && active !== document.activeElement && active.isConnected) {
        active.focus({ preventScroll: true });
        if (start !== null) { try { active.setSelectionRange(start, end); } catch (e) { /* not a text field */ } }
      }
      document.dispatchEvent(new CustomEvent("tandem:live"));
    }).catch(function () { /* the next change tries again */ }).then(function () {
      refreshing = null;
      if (again) { again = false; refresh(); }
    });
    return refreshing;
  }

  function describe(change) {
    var who = change.actor ? change.actor.displayName : "Someone";
    var ref = change.subject && change.subject.ref ? change.subject.ref : "";
    var data = change.data || {};
    switch (change.type) {
      case "item.moved": return who + " moved " + ref;
      case "item.created": return who + " added " + ref + (data.title ? " " + data.title : "");
      case "item.updated":
        var changes = data.changes || {};
        if (changes.workState) { return who + " moved " + ref + " to " + String(changes.workState.to).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase(); }
        return who + " changed " + ref;
      case "item.declined": return who + " declined " + ref;
      case "item.deleted": return who + " removed " + ref;
      case "sprint.item_added": return who + " added " + ref + " to the sprint";
      case "sprint.item_removed": return who + " took " + ref + " out of the sprint";
      default: return who + ": " + change.type.replace(/[._]/g, " ");
    }
  }

  function handle(type, data) {
    if (type === "reset") { window.location.reload(); return; }
    if (type === "notifications") {
      var link = document.querySelector("header nav a[href='/notifications']");
      if (link) {
        link.textContent = data.unread ? "Notifications (" + data.unread + " unread)" : "Notifications";
        link.classList.toggle("unread", data.unread > 0);
      }
      return;
    }
    refresh().then(function () {
      if (!data.actor || data.actor.id === me) { return; }
      var text = describe(data);
      if (data.type === "item.moved" && data.subject && data.subject.ref) {
        var rows = Array.prototype.slice.call(document.querySelectorAll("#backlog > li.item"));
        var index = rows.findIndex(function (row) { return row.getAttribute("data-ref") === data.subject.ref; });
        if (index >= 0) { text += " to position " + (index + 1); }
      }
      say(text + ".");
    });
  }

  if (channel) {
    channel.onmessage = function (message) {
      if (message.data.id) { lastId = message.data.id; }
      handle(message.data.type, message.data.data);
    };
  }

  // Reads the stream with fetch (so any event name arrives), resuming after the last event on every reconnect.
  function read() {
    var headers = { "Accept": "text/event-stream" };
    if (lastId) { headers["Last-Event-ID"] = lastId; }
    return fetch("/products/" + encodeURIComponent(product) + "/events", { credentials: "same-origin", headers: headers }).then(function (response) {
      if (!response.ok || !response.body) { throw new Error("stream refused: " + response.status); }
      var reader = response.body.getReader(), decoder = new TextDecoder(), buffer = "";
      function pump() {
        return reader.read().then(function (part) {
          if (part.done) { return; }
          buffer += decoder.decode(part.value, { stream: true });
          var blocks = buffer.split("\n\n");
          buffer = blocks.pop();
          blocks.forEach(function (block) {
            var event = { type: "message", data: "", id: null };
            block.split("\n").forEach(function (line) {
              if (line.indexOf("event: ") === 0) { event.type = line.slice(7); }
              else if (line.indexOf("data: ") === 0) { event.data += line.slice(6); }
              else if (line.indexOf("id: ") === 0) { event.id = line.slice(4); }
            });
            if (!event.data) { return; }
            var data = JSON.parse(event.data);
            if (event.id) { lastId = event.id; }
            if (channel) { channel.postMessage({ type: event.type, data: data, id: event.id }); }
            handle(event.type, data);
          });
          return pump();
        });
      }
      return pump();
    });
  }
  function follow(delay) {
    return read().then(function () { return 1000; }, function () { return Math.min(delay * 2, 30000); }).then(function (wait) {
      return new Promise(function (resolve) { window.setTimeout(resolve, wait + Math.random() * 500); }).then(function () { return follow(wait); });
    });
  }
  if (navigator.locks && channel) {
    navigator.locks.request("tandem-live-" + product, function () { return follow(1000); });
  } else {
    follow(1000);
  }
})();
"""#
}
