import HummingbirdBcrypt
import NIOPosix

/// bcrypt, the only place that knows the library: deliberately slow, so it runs on the thread pool, never on an
/// event loop.
enum PasswordHashing {
    static func hash(_ password: String, cost: UInt8) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
