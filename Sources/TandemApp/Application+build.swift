import TandemCore
import Foundation
import NIOCore
import Hummingbird
import Logging
import Metrics
import Prometheus

/// Everything a running Tandem needs, built once and shared by the API and the pages.
public struct TandemServices: Sendable {
    public let configuration: TandemConfiguration
    public let database: TandemDatabase
    public let accounts: AccountService
    public let products: ProductService
    /// Every product's change stream, read from any point.
    public let changes: ProductChanges
    /// The same, live: event streams that resume from any point.
    public let events: ProductEvents
    public let backlog: BacklogService
    public let direction: ProductDirection
    public let sprints: SprintService
    public let sprintEvents: SprintEvents
    public let partnership: PartnershipService
    public let planning: PlanningService
    public let webhooks: WebhookService
    /// Whole products out as one document.
    public let export: ProductExport
    public let secrets: InstanceSecrets
    /// The clock and ids every service uses (pinned in tests).
    public let stamps: Stamps

    public init(configuration: TandemConfiguration, database: TandemDatabase, stamps: Stamps = .system) {
        self.configuration = configuration
        self.database = database
        self.stamps = stamps
        self.accounts = AccountService(
            database: database, bcryptCost: configuration.bcryptCost, signupOpen: configuration.signupOpen, throttle: configuration.loginThrottle, stamps: stamps
        )
        self.secrets = InstanceSecrets(database: database, stamps: stamps)
        self.products = ProductService(database: database, stamps: stamps)
        self.changes = ProductChanges(database: database)
        self.events = ProductEvents(database: database, accounts: accounts, limits: configuration.eventStreams)
        self.backlog = BacklogService(database: database, stamps: stamps, participants: [SprintRecordKeeper()])
        self.direction = ProductDirection(database: database, stamps: stamps)
        self.sprints = SprintService(database: database, stamps: stamps)
        self.sprintEvents = SprintEvents(database: database, stamps: stamps, items: backlog.items)
        self.partnership = PartnershipService(database: database, stamps: stamps)
        self.planning = PlanningService(database: database, stamps: stamps)
        self.export = ProductExport(database: database, stamps: stamps)
        self.webhooks = WebhookService(database: database, stamps: stamps, addresses: WebhookAddressCheck(allowPrivate: configuration.webhooksAllowPrivate))
    }

    /// The background worker that sends the webhooks' deliveries.
    public func webhookDispatcher(logger: Logger) -> WebhookDispatcher {
        WebhookDispatcher(database: database, stamps: stamps, addresses: webhooks.addresses, logger: logger)
    }
}

/// Builds the router with every route and middleware; tests call this with a temporary database.
public func buildRouter(services: TandemServices) -> Router<TandemRequestContext> {
    let registry = TandemMetrics.registry
    let router = Router(context: TandemRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: StatementMetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: ClientAddressMiddleware(trustedProxies: services.configuration.trustedProxies))
    router.add(middleware: IdentityMiddleware(accounts: services.accounts, seen: services.partnership.notifications))
    let web = WebPages(secrets: services.secrets, secureCookies: services.configuration.secureCookies)
    router.add(middleware: PageErrorMiddleware(csrf: web.csrf))

    router.get("healthz") { _, _ -> Response in
        let engine = services.database.location.engine
        do {
            try await services.database.ping()
            return try JSONBody.response(["status": "ok", "database": engine])
        } catch {
            return try JSONBody.response(["status": "unavailable", "database": engine], status: .serviceUnavailable)
        }
    }
    router.get("metrics") { request, context -> Response in
        // Open by default for local use; with TANDEM_METRICS_TOKEN set, only a scraper holding it may read.
        if let expected = services.configuration.metricsToken {
            let header = request.headers[.authorization] ?? ""
            let given = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst("bearer ".count)) : ""
            guard Tokens.constantTimeEqual(given, expected) else {
                var response = try APIError(.unauthorized, code: "unauthorized", message: "Send the metrics token: Authorization: Bearer <TANDEM_METRICS_TOKEN>.")
                    .response(from: request, context: context)
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
        )
    }
    router.get("openapi.json") { _, _ -> Response in
        try JSONBody.response(OpenAPIDocument.tandem)
    }

    let api = router.group("api/v1").add(middleware: BearerAuthentication(accounts: services.accounts))
    AccountsAPI(accounts: services.accounts).register(on: api)
    ProductsAPI(products: services.products, changes: services.changes, events: services.events).register(on: api)
    ProductDirectionAPI(direction: services.direction).register(on: api)
    BacklogAPI(backlog: services.backlog, products: services.products).register(on: api)
    SprintsAPI(sprints: services.sprints).register(on: api)
    SprintEventsAPI(events: services.sprintEvents).register(on: api)
    PartnershipAPI(partnership: services.partnership).register(on: api)
    PlanningAPI(planning: services.planning, sprints: services.sprints).register(on: api)
    WebhooksAPI(webhooks: services.webhooks).register(on: api)
    InteropAPI(export: services.export).register(on: api)
    web.registerAssets(on: router)
    AccountsWeb(web: web, accounts: services.accounts, signupOpen: services.configuration.signupOpen).register(on: router)
    ProductsWeb(web: web, products: services.products, events: services.events).register(on: router)
    DirectionWeb(web: web, products: services.products, direction: services.direction).register(on: router)
    BacklogWeb(web: web, backlog: services.backlog, products: services.products,
               contributors: [ItemBlockersSection(partnership: services.partnership)]).register(on: router)
    SprintsWeb(web: web, sprints: services.sprints, events: services.sprintEvents, backlog: services.backlog).register(on: router)
    PartnershipWeb(web: web, products: services.products, partnership: services.partnership, sprints: services.sprints, database: services.database).register(on: router)
    PlanningWeb(web: web, planning: services.planning, sprints: services.sprints).register(on: router)
    WebhooksWeb(web: web, products: services.products, webhooks: services.webhooks).register(on: router)
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.path.description, $0.method) }))
    return router
}

/// The whole server: opens and migrates the database, seeds the demo when asked, and serves until stopped.
public func buildApplication(
    configuration: TandemConfiguration, demo: Bool, logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> (Application<RouterResponder<TandemRequestContext>>, TandemServices) {
    let database = try await TandemDatabase.open(configuration.database, logger: logger)
    do {
        try await Migrator.migrate(database, logger: logger)
        let services = TandemServices(configuration: configuration, database: database)
        if demo { try await DemoSeed.seed(services: services, logger: logger) }
        let app = Application(
            router: buildRouter(services: services),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Tandem"),
            services: [ChangeWatcher(database: database, logger: logger), services.webhookDispatcher(logger: logger)],
            onServerRunning: onServerRunning,
            logger: logger
        )
        return (app, services)
    } catch {
        await database.close()
        throw error
    }
}

extension OpenAPIDocument {
    /// The whole document: the shared parts and each feature's operations and schemas.
    static let tandem = document(
        paths: [accountPaths, productPaths, directionPaths, backlogPaths, sprintPaths, partnershipPaths, planningPaths, webhookPaths, interopPaths],
        schemas: [accountSchemas, productSchemas, directionSchemas, backlogSchemas, sprintSchemas, partnershipSchemas, planningSchemas, webhookSchemas, interopSchemas]
    )
}
