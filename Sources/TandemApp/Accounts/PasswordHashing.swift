import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt, the only place that knows the library: deliberately slow, so it runs on the thread pool, never on an
/// event loop.
enum PasswordHashing {
    static func hash(_ password: String, cost: UInt8) async throws -> String {
        let input = bcryptInput(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    static func verify(_ password: String, hash: String) async throws -> Bool {
        let input = bcryptInput(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: hash) }
    }

    /// bcrypt ignores everything after 72 bytes, so a longer password (possible with non-ASCII characters within the
    /// character limit) is first condensed by SHA-256: every character counts, and passwords within 72 bytes hash as before.
    static func bcryptInput(_ password: String) -> String {
        guard password.utf8.count > 72 else { return password }
        return "sha256:" + Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }
}
