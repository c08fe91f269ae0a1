/// The stylesheet and the little JavaScript, compiled into the binary so `tandem` runs from any folder.
enum Assets {
    static let stylesheet = #"""
:root {
  --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #5f6b7a; --line: #dde2ea;
  --accent: #2f5bea; --accent-ink: #fff; --danger: #c23a3a; --warn-bg: #fff6e0; --warn-line: #e8b64c;
  --ok-bg: #e8f6ee; --err-bg: #fdecec;
  --po: #6d3fd1; --sm: #0f8a6a; --dev: #2f5bea; --sh: #9a6a00;
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
@media (max-width: 600px) {
  .container { padding: 1rem .75rem 2rem; }
  .row { flex-direction: column; align-items: stretch; }
}
"""#

    static let script = #"""
// Progressive enhancement only: every page works without this file.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.classList.contains("danger") && !window.confirm("Are you sure? " + button.textContent.trim())) {
    event.preventDefault();
  }
});
"""#
}
