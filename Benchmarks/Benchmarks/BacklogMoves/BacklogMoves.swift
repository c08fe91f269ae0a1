import Benchmark
import Foundation
import Logging
import SQLKit
import TandemApp
import TandemCore

/// Moving one item must cost the same in a backlog of 1,000 and of 100,000 items:
/// the new rank lies between its neighbours, so a move writes one item row (and its activity record).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .custom("rows written per move", polarity: .prefersSmaller, useScalingFactor: false)],
        timeUnits: .microseconds,
        warmupIterations: 20,
        maxDuration: .seconds(10),
        maxIterations: 2_000
    )
    for size in [1_000, 100_000] {
        let box = FixtureBox()
        Benchmark("Move one item, \(size.formatted()) items (SQLite)") { benchmark, fixture in
            var generator = SystemRandomNumberGenerator()
            for _ in benchmark.scaledIterations {
                let mover = fixture.itemIDs.randomElement(using: &generator)!
                var anchor = fixture.itemIDs.randomElement(using: &generator)!
                while anchor == mover { anchor = fixture.itemIDs.randomElement(using: &generator)! }
                let position: BacklogPosition = Bool.random(using: &generator) ? .before(anchor) : .after(anchor)
                let before = try await fixture.changes()
                benchmark.startMeasurement()
                _ = try await fixture.services.backlog.ordering.move(mover, to: position, version: nil, actorID: fixture.ownerID)
                benchmark.stopMeasurement()
                let after = try await fixture.changes()
                benchmark.measurement(.custom("rows written per move"), after - before)
            }
        } setup: {
            try await box.open(items: size)
        } teardown: {
            await box.close()
        }
    }
}

/// Holds the fixture between setup and teardown (teardown receives no arguments).
actor FixtureBox {
    private var fixture: MoveFixture?

    func open(items: Int) async throws -> MoveFixture {
        let fixture = try await MoveFixture(items: items)
        self.fixture = fixture
        return fixture
    }

    func close() async {
        await fixture?.close()
        fixture = nil
    }
}

/// A product with `items` backlog items in a temporary SQLite file.
struct MoveFixture: Sendable {
    let services: TandemServices
    let folder: URL
    let ownerID: String
    let itemIDs: [String]

    init(items count: Int) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-\(UUID().uuidString)")
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let location = DatabaseLocation.sqlite(path: folder.path + "/bench.sqlite")
        let database = try await TandemDatabase.open(location, logger: logger)
        try await Migrator.migrate(database, logger: logger)
        services = TandemServices(configuration: TandemConfiguration(database: location, bcryptCost: 4), database: database)
        let owner = try await services.accounts.createUser(email: "po@bench.local", password: "correct-horse", displayName: "PO")
        ownerID = owner.id
        let product = try await services.products.createProduct(name: "Bench", key: "BENCH", ownerID: owner.id)
        // Bulk-load the items in one transaction with evenly spaced keys, as an import would.
        let keys = RankKey.sequence(count: count)
        let ids = (0..<count).map { _ in UUID().uuidString.lowercased() }
        let ownerID = owner.id
        try await database.write { db in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            for chunk in stride(from: 0, to: count, by: 500) {
                let insert = db.insert(into: "backlog_items").columns(
                    "id", "product_id", "number", "ref", "kind", "title", "description", "acceptance_criteria", "status",
                    "refinement", "readiness", "rank", "version", "created_by", "updated_by", "created_at", "updated_at"
                )
                for index in chunk..<min(chunk + 500, count) {
                    insert.values(
                        SQLBind(ids[index]), SQLBind(product.id), SQLBind(index + 1), SQLBind("BENCH-\(index + 1)"), SQLBind("story"),
                        SQLBind("Item \(index + 1)"), SQLBind(""), SQLBind(""), SQLBind("open"), SQLBind("idea"), SQLBind("[]"),
                        SQLBind(keys[index]), SQLBind(1), SQLBind(ownerID), SQLBind(ownerID), SQLBind(now), SQLBind(now)
                    )
                }
                try await insert.run()
            }
            try await db.raw("UPDATE products SET last_item_number = \(bind: count) WHERE id = \(bind: product.id)").run()
        }
        itemIDs = ids
    }

    /// Rows changed by the writer connection so far (SQLite's `total_changes()`), read inside a write to use that connection.
    func changes() async throws -> Int {
        try await services.database.write { db in
            try await db.raw("SELECT total_changes() AS n").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    func close() async {
        await services.database.close()
        try? FileManager.default.removeItem(at: folder)
    }
}
