import Crypto
import Foundation
import Logging
import NIOPosix
import SQLKit
import Synchronization
import TandemCore

/// Sign-up, log-in, sessions and API tokens; the only code that touches passwords.
public struct AccountService: Authenticator {
    let database: TandemDatabase
    let bcryptCost: UInt8
    let signupOpen: Bool
    let throttle: LoginThrottle
    let stamps: Stamps
    /// Compared against when the email is unknown, at the configured cost, so both answers take as long.
    let decoy: DecoyHash
    static let sessionLifetime: TimeInterval = 30 * 24 * 3600

    public init(database: TandemDatabase, bcryptCost: UInt8, signupOpen: Bool, throttle: LoginThrottle = LoginThrottle(), stamps: Stamps) {
        self.stamps = stamps
        self.database = database
        self.bcryptCost = bcryptCost
        self.signupOpen = signupOpen
        self.throttle = throttle
        self.decoy = DecoyHash(cost: bcryptCost)
    }

    /// Open sign-up from the API or the page; refused when `TANDEM_SIGNUP=closed`.
    public func signUp(email: String, password: String, displayName: String) async throws -> UserRow {
        guard signupOpen else {
            throw DomainError(.notAllowed, code: "signup_closed", message: "Sign-up is closed here; ask an administrator to create your account.")
        }
        return try await createUser(email: email, password: password, displayName: displayName)
    }

    /// Creates an account regardless of the sign-up setting (the CLI and tests use it).
    public func createUser(email rawEmail: String, password: String, displayName rawName: String) async throws -> UserRow {
        let email = try InputRules.email.validated(rawEmail, field: "email")
        do { try Validate.password(password) } catch { throw DomainError.invalid(error) }
        let displayName = try InputRules.name.validated(rawName, field: "displayName")
        let hash = try await PasswordHashing.hash(password, cost: bcryptCost)
        let now = stamps.now()
        let user = UserRow(
            id: stamps.newID(), email: email, emailNormalized: Validate.normalizedEmail(email),
            displayName: displayName, passwordHash: hash, createdAt: now, updatedAt: now
        )
        do {
            try await database.write { db in
                if try await Self.user(byEmail: email, on: db) != nil { throw Self.emailTaken }
                try await db.insert("users", user)
            }
        } catch where RowCoding.isUniqueViolation(error) {
            throw Self.emailTaken
        }
        return user
    }

    /// The ids of the accounts with these emails, where there are any.
    static func existingIDs(emails: [String], on db: any SQLDatabase) async throws -> [String: String] {
        var found: [String: String] = [:]
        for email in emails { if let user = try await user(byEmail: email, on: db) { found[email] = user.id } }
        return found
    }

    /// Accounts for people a restored product names who have none here, so their work keeps its authors: they cannot
    /// log in (the password hash is of a secret nobody keeps) until `tandem user reset-password` gives them a
    /// password. Runs inside the caller's transaction; an email taken meanwhile refuses the whole import.
    static func accountsWithoutPassword(_ people: [(id: String, email: String, displayName: String)], unusableHash: String, stamps: Stamps, on db: any SQLDatabase) async throws {
        for person in people {
            let email = try InputRules.email.validated(person.email, field: "people.email")
            let name = (try? InputRules.name.validated(person.displayName, field: "people.displayName")) ?? email  // try?: a name the rules refuse falls back to the email, which passed
            let now = stamps.now()
            try await db.insert("users", UserRow(id: person.id, email: email, emailNormalized: Validate.normalizedEmail(email), displayName: name,
                                                 passwordHash: unusableHash, createdAt: now, updatedAt: now))
        }
    }

    /// A bcrypt hash of a random secret that is then forgotten: no password matches it.
    func unusableHash() async throws -> String {
        try await PasswordHashing.hash(Tokens.random(), cost: bcryptCost)
    }

    static let emailTaken = DomainError(.conflict, code: "email_taken", message: "An account with this email already exists.", field: "email")

    /// Returns a new session token and its user; the same answer for an unknown email and a wrong password.
    ///
    /// Failures are counted per account-and-address and per address (`LoginThrottle`); past a limit the answer is
    /// 429 with `Retry-After`, without looking at the password. A success clears only its own account-and-address count.
    public func logIn(email: String, password: String, clientAddress: String) async throws -> (token: String, user: UserRow) {
        let keys = Self.throttleKeys(email: email, address: clientAddress)
        let now = stamps.now()
        let since = now - throttle.windowMillis
        let failures = try await database.read { db in
            try await db.select().columns("scope_key", "failed_at").from("login_failures")
                .where("scope_key", .in, [keys.account, keys.address]).where("failed_at", .greaterThan, since)
                .all(LoginFailureRow.self)
        }
        let waits = [
            throttle.wait(failures: failures.filter { $0.scopeKey == keys.account }.map(\.failedAt), limit: throttle.perAccountAndAddress, now: now),
            throttle.wait(failures: failures.filter { $0.scopeKey == keys.address }.map(\.failedAt), limit: throttle.perAddress, now: now),
        ].compactMap { $0 }
        if let wait = waits.max() { throw Self.tooManyAttempts(retryAfterMillis: wait) }

        let user = try await database.read { db in try await Self.user(byEmail: email, on: db) }
        // Verify against a hash of the same cost when the user is unknown, so timing does not reveal which emails exist.
        let decoyHash = try await decoy.value()
        let matches = try await PasswordHashing.verify(password, hash: user?.passwordHash ?? decoyHash)
        guard let user, matches else {
            try await database.write { db in
                for key in [keys.account, keys.address] {
                    try await db.insert(into: "login_failures").columns("scope_key", "failed_at").values(SQLBind(key), SQLBind(now)).run()
                    try await db.delete(from: "login_failures").where("scope_key", .equal, key).where("failed_at", .lessThanOrEqual, since).run()
                }
            }
            throw DomainError(.unauthenticated, code: "invalid_credentials", message: "The email or the password is not correct.")
        }
        try await database.write { db in
            try await db.delete(from: "login_failures").where("scope_key", .equal, keys.account).run()
        }
        let token = try await issueToken(for: user.id, kind: "session", name: nil, lifetime: Self.sessionLifetime)
        return (token.secret, user)
    }

    static func tooManyAttempts(retryAfterMillis: Int64) -> DomainError {
        let seconds = max(1, (retryAfterMillis + 999) / 1000)
        let minutes = (seconds + 59) / 60
        var error = DomainError(
            .throttled, code: "too_many_attempts",
            message: "Too many failed logins from here. Try again in \(minutes == 1 ? "a minute" : "\(minutes) minutes")."
        )
        error.retryAfterSeconds = Int(seconds)
        return error
    }

    /// Hashed, so the table holds neither emails nor addresses in the clear.
    static func throttleKeys(email: String, address: String) -> (account: String, address: String) {
        (tokenHash("account|\(Validate.normalizedEmail(email))|\(address)"), tokenHash("address|\(address)"))
    }

    /// A named API token for scripts; its secret is shown once.
    func createAPIToken(for userID: String, name rawName: String) async throws -> (row: AuthTokenRow, secret: String) {
        let name = try InputRules.name.validated(rawName, field: "name")
        return try await issueToken(for: userID, kind: "api", name: name, lifetime: nil)
    }

    /// Makes a token; its secret is returned once and only its hash is stored.
    func issueToken(for userID: String, kind: String, name: String?, lifetime: TimeInterval?) async throws -> (row: AuthTokenRow, secret: String) {
        let secret = "tdm_" + Tokens.random()
        let now = stamps.now()
        let row = AuthTokenRow(
            id: stamps.newID(), userId: userID, tokenHash: Self.tokenHash(secret), kind: kind, name: name,
            createdAt: now, expiresAt: lifetime.map { now + Int64($0 * 1000) }
        )
        try await database.write { db in try await db.insert("auth_tokens", row) }
        return (row, secret)
    }

    /// The caller behind a bearer token or session cookie, or nil for unknown and expired ones.
    public func authenticate(token: String, source: Identity.Source, page: String? = nil) async throws -> Identity? {
        guard token.hasPrefix("tdm_"), token.count < 200 else { return nil }
        let hash = Self.tokenHash(token)
        let now = stamps.now()
        return try await database.read { db -> Identity? in
            // One round trip: every authenticated request pays for this lookup. Pages also show the unread count.
            let unread: SQLQueryString = source == .session ? NotificationLog.unreadColumns(userColumn: "u.id", page: page) : ""
            guard let row = try await db.raw("""
                SELECT t.id AS token_id, t.expires_at, u.id, u.email, u.email_normalized, u.display_name, u.password_hash,
                       u.created_at, u.updated_at\(unread)
                FROM auth_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = \(bind: hash)
                """).first()
            else { return nil }
            let expiresAt = try row.decodeNil(column: "expires_at") ? nil : try row.decode(column: "expires_at", as: Int64.self)
            guard expiresAt.map({ $0 > now }) ?? true else { return nil }
            let user = try row.decode(model: UserRow.self, with: RowCoding.decoder)
            return Identity(
                user: user.person, tokenID: try row.decode(column: "token_id", as: String.self), source: source,
                unreadNotifications: source == .session ? try row.decode(column: "unread", as: Int.self) : 0,
                unreadHere: source == .session && page != nil ? try row.decode(column: "unread_here", as: Int.self) : 0
            )
        }
    }

    /// Whether a session or token still stands (not logged out, revoked, reset or expired): a long-lived event
    /// stream asks again while it runs.
    public func isLive(tokenID: String) async throws -> Bool {
        let now = stamps.now()
        return try await database.read { db in
            guard let row = try await db.select().column("expires_at").from("auth_tokens").where("id", .equal, tokenID).first() else { return false }
            let expiresAt = try row.decodeNil(column: "expires_at") ? nil : try row.decode(column: "expires_at", as: Int64.self)
            return expiresAt.map { $0 > now } ?? true
        }
    }

    public func revokeToken(id: String, userID: String) async throws -> Bool {
        try await database.write { db in
            let existing = try await db.select().column("id").from("auth_tokens")
                .where("id", .equal, id).where("user_id", .equal, userID).first()
            guard existing != nil else { return false }
            try await db.delete(from: "auth_tokens").where("id", .equal, id).run()
            PendingWakes.users([userID])  // their open event streams ask again, and this one ends
            return true
        }
    }

    /// Named API tokens of one user (sessions are not listed).
    func apiTokens(userID: String) async throws -> [AuthTokenRow] {
        try await database.read { db in
            try await db.select().column("*").from("auth_tokens")
                .where("user_id", .equal, userID).where("kind", .equal, "api")
                .orderBy("created_at").all(AuthTokenRow.self)
        }
    }

    /// Sets a new password and ends every session and token of the user, as a reset should.
    public func resetPassword(email: String, newPassword: String) async throws -> UserRow {
        do { try Validate.password(newPassword) } catch { throw DomainError.invalid(error) }
        let hash = try await PasswordHashing.hash(newPassword, cost: bcryptCost)
        return try await database.write { db in
            guard var user = try await Self.user(byEmail: email, on: db) else {
                throw DomainError(.notFound, code: "not_found", message: "No account has the email \(email).", field: "email")
            }
            user.passwordHash = hash
            user.updatedAt = stamps.now()
            try await db.update("users").set("password_hash", to: hash).set("updated_at", to: user.updatedAt)
                .where("id", .equal, user.id).run()
            try await db.delete(from: "auth_tokens").where("user_id", .equal, user.id).run()
            PendingWakes.users([user.id])
            return user
        }
    }

    static func user(byEmail email: String, on db: any SQLDatabase) async throws -> UserRow? {
        try await db.select().column("*").from("users")
            .where("email_normalized", .equal, Validate.normalizedEmail(email)).first(UserRow.self)
    }

    /// Tokens are stored as the hex of their SHA-256, never in the clear.
    static func tokenHash(_ token: String) -> String { Tokens.sha256Hex(token) }
}

/// A bcrypt hash of a random string at the configured cost, made once on first use and only ever compared against.
final class DecoyHash: Sendable {
    let cost: UInt8
    private let hash = Mutex<String?>(nil)

    init(cost: UInt8) { self.cost = cost }

    func value() async throws -> String {
        if let hash = hash.withLock({ $0 }) { return hash }
        let cost = cost
        let made = try await PasswordHashing.hash(Tokens.random(), cost: cost)
        return hash.withLock { stored in
            if let stored { return stored }
            stored = made
            return made
        }
    }
}

private struct LoginFailureRow: Decodable {
    var scopeKey: String
    var failedAt: Int64
}
