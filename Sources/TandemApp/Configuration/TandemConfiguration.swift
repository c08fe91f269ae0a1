import Foundation
import Logging
import TandemCore

/// Where the data lives; parsed once from `TANDEM_DATABASE_URL`.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(host: String, port: Int, username: String, password: String?, database: String)

    /// The engine's name as `/healthz` reports it.
    public var engine: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// Accepts `sqlite:///ABSOLUTE/PATH.sqlite` and `postgres://USER:PASS@HOST:PORT/DB`.
    public static func parse(_ raw: String) -> DatabaseLocation? {
        if raw.hasPrefix("sqlite://") {
            let path = String(raw.dropFirst("sqlite://".count))
            guard path.hasPrefix("/"), path.count > 1, !path.hasSuffix("/") else { return nil }
            return .sqlite(path: path.removingPercentEncoding ?? path)
        }
        guard raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://"),
              let url = URLComponents(string: raw),
              let host = url.host, !host.isEmpty,
              let user = url.user, !user.isEmpty
        else { return nil }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { return nil }
        return .postgres(
            host: host, port: url.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: url.password.map { $0.removingPercentEncoding ?? $0 },
            database: database
        )
    }

    /// Safe to log: the password never appears.
    public var redactedDescription: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let host, let port, let user, _, let db): "postgres://\(user):***@\(host):\(port)/\(db)"
        }
    }
}

/// Every setting Tandem reads, built once at start and passed down; nothing else reads the environment.
public struct TandemConfiguration: Sendable {
    public var database: DatabaseLocation
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    public var signupOpen: Bool
    public var baseURL: String?
    /// bcrypt work factor; tests lower it so the suite stays fast.
    public var bcryptCost: UInt8
    /// Session cookies carry `Secure` when Tandem is served over HTTPS.
    public var secureCookies: Bool
    /// Failed-login limits (`TANDEM_LOGIN_LIMIT`, `TANDEM_LOGIN_ADDRESS_LIMIT`, `TANDEM_LOGIN_WINDOW`).
    public var loginThrottle: LoginThrottle
    /// Reverse proxies whose `X-Forwarded-For` names the client (`TANDEM_TRUSTED_PROXIES`); none by default.
    public var trustedProxies: Set<String>
    /// When set, `/metrics` answers only to `Authorization: Bearer <token>` (`TANDEM_METRICS_TOKEN`).
    public var metricsToken: String?
    /// Open live streams per person and per process (`TANDEM_SSE_PER_PERSON`, `TANDEM_SSE_MAX`).
    public var eventStreams = EventStreamLimits()
    /// `TANDEM_WEBHOOKS_ALLOW_PRIVATE=1`: webhooks may reach loopback and private networks (and use plain http).
    public var webhooksAllowPrivate = false

    public init(
        database: DatabaseLocation, host: String = "127.0.0.1", port: Int = 8080, logLevel: Logger.Level = .info,
        signupOpen: Bool = true, baseURL: String? = nil, bcryptCost: UInt8 = 12, secureCookies: Bool = false,
        loginThrottle: LoginThrottle = LoginThrottle(), trustedProxies: Set<String> = [], metricsToken: String? = nil
    ) {
        self.database = database
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.signupOpen = signupOpen
        self.baseURL = baseURL
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.loginThrottle = loginThrottle
        self.trustedProxies = trustedProxies
        self.metricsToken = metricsToken
    }

    /// Settings that could not be read; all problems are listed at once so one restart fixes them all.
    public struct Problems: Error, CustomStringConvertible {
        public let messages: [String]
        public var description: String { messages.joined(separator: "\n") }
    }

    /// Layers defaults under the environment; `cwd` decides where the default SQLite file goes.
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        cwd: String = FileManager.default.currentDirectoryPath
    ) throws -> TandemConfiguration {
        var problems: [String] = []
        var database = DatabaseLocation.sqlite(path: cwd + "/tandem-data/tandem.sqlite")
        if let raw = env["TANDEM_DATABASE_URL"], !raw.isEmpty {
            if let parsed = DatabaseLocation.parse(raw) {
                database = parsed
            } else {
                problems.append(
                    "TANDEM_DATABASE_URL is not understood. Accepted forms: sqlite:///ABSOLUTE/PATH.sqlite "
                        + "or postgres://USER:PASS@HOST:PORT/DB (unset means sqlite in ./tandem-data/)."
                )
            }
        }
        var config = TandemConfiguration(database: database)
        if let host = env["TANDEM_HOST"], !host.isEmpty { config.host = host }
        if let raw = env["TANDEM_PORT"], !raw.isEmpty {
            if let port = Int(raw), (0...65535).contains(port) { config.port = port } else {
                problems.append("TANDEM_PORT must be a port number from 0 to 65535, got '\(raw)'.")
            }
        }
        if let raw = env["TANDEM_LOG_LEVEL"], !raw.isEmpty {
            if let level = Logger.Level(rawValue: raw.lowercased()) { config.logLevel = level } else {
                problems.append("TANDEM_LOG_LEVEL must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }
        if let raw = env["TANDEM_SIGNUP"], !raw.isEmpty {
            switch raw.lowercased() {
            case "open": config.signupOpen = true
            case "closed": config.signupOpen = false
            default: problems.append("TANDEM_SIGNUP must be 'open' or 'closed', got '\(raw)'.")
            }
        }
        if let raw = env["TANDEM_BASE_URL"], !raw.isEmpty {
            if raw.hasPrefix("http://") || raw.hasPrefix("https://") {
                config.baseURL = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
                config.secureCookies = raw.hasPrefix("https://")
            } else {
                problems.append("TANDEM_BASE_URL must start with http:// or https://.")
            }
        }
        if let raw = env["TANDEM_BCRYPT_COST"], !raw.isEmpty {
            if let cost = UInt8(raw), (4...31).contains(cost) { config.bcryptCost = cost } else {
                problems.append("TANDEM_BCRYPT_COST must be a number from 4 to 31.")
            }
        }
        func count(_ name: String, _ range: ClosedRange<Int>, _ apply: (Int) -> Void) {
            guard let raw = env[name], !raw.isEmpty else { return }
            if let value = Int(raw), range.contains(value) { apply(value) } else {
                problems.append("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(raw)'.")
            }
        }
        count("TANDEM_LOGIN_LIMIT", 1...1_000_000) { config.loginThrottle.perAccountAndAddress = $0 }
        count("TANDEM_LOGIN_ADDRESS_LIMIT", 1...1_000_000) { config.loginThrottle.perAddress = $0 }
        count("TANDEM_LOGIN_WINDOW", 1...86_400) { config.loginThrottle.windowMillis = Int64($0) * 1000 }
        count("TANDEM_SSE_PER_PERSON", 1...1_000) { config.eventStreams.perPerson = $0 }
        count("TANDEM_SSE_MAX", 1...100_000) { config.eventStreams.perProcess = $0 }
        if let raw = env["TANDEM_WEBHOOKS_ALLOW_PRIVATE"], !raw.isEmpty {
            switch raw.lowercased() {
            case "1", "true", "yes": config.webhooksAllowPrivate = true
            case "0", "false", "no": config.webhooksAllowPrivate = false
            default: problems.append("TANDEM_WEBHOOKS_ALLOW_PRIVATE must be 1 or 0, got '\(raw)'.")
            }
        }
        if let raw = env["TANDEM_TRUSTED_PROXIES"], !raw.isEmpty {
            config.trustedProxies = Set(raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if let raw = env["TANDEM_METRICS_TOKEN"], !raw.isEmpty {
            if raw.utf8.count >= 16 { config.metricsToken = raw } else {
                problems.append("TANDEM_METRICS_TOKEN must be at least 16 characters long.")
            }
        }
        guard problems.isEmpty else { throw Problems(messages: problems) }
        return config
    }
}
