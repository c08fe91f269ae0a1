import TandemCore
import Crypto
import Foundation
import SQLKit
import Synchronization

/// Secrets this Tandem instance makes for itself at first use and keeps in its database, so that several
/// processes sharing one PostgreSQL agree on them and a restart keeps them. Read once per process, then cached.
public final class InstanceSecrets: KeyStore {
    let database: TandemDatabase
    let stamps: Stamps
    private let cache = Mutex<[String: SymmetricKey]>([:])

    public init(database: TandemDatabase, stamps: Stamps) {
        self.database = database
        self.stamps = stamps
    }

    /// The key called `name`, created (32 random bytes) by whichever process asks first.
    public func key(_ name: String) async throws -> SymmetricKey {
        if let cached = cache.withLock({ $0[name] }) { return cached }
        let candidate = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        let stored = try await database.write { db -> String in
            try await db.insert(into: "instance_secrets").columns("name", "value", "created_at")
                .values(SQLBind(name), SQLBind(candidate), SQLBind(stamps.now()))
                .ignoringConflicts(with: ["name"]).run()
            guard let row = try await db.select().column("value").from("instance_secrets").where("name", .equal, name).first() else {
                throw SecretMissing(name: name)
            }
            return try row.decode(column: "value", as: String.self)
        }
        guard let bytes = Data(base64Encoded: stored), bytes.count >= 32 else { throw SecretMissing(name: name) }
        let key = SymmetricKey(data: bytes)
        cache.withLock { $0[name] = key }
        return key
    }

    struct SecretMissing: Error, CustomStringConvertible {
        let name: String
        var description: String { "The instance secret '\(name)' could not be stored or read." }
    }
}
