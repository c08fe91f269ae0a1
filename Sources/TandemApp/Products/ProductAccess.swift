import Foundation
import SQLKit
import TandemCore

/// The product columns every product-scoped request needs: its name and key, its Product Owner, and the
/// backlog settings stored with it (Definitions of Ready and Done, estimate scale), read once when the row is: a
/// stored setting that does not decode is an `unreadable_row` error, never an empty Definition.
public struct ProductSettings: Decodable, Sendable {
    public var id: String
    public var name: String
    public var key: String
    public var productOwnerId: String
    /// What "ready" means for the product's items.
    public let definitionOfReadyItems: [String]
    /// What "done" means for every increment of the product; an item's work is done when each entry is ticked.
    public let definitionOfDoneItems: [String]
    public let scale: EstimateScale

    enum CodingKeys: String, CodingKey { case id, name, key, productOwnerId, definitionOfReady, definitionOfDone, estimateScale }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: container.decode(String.self, forKey: .id), name: container.decode(String.self, forKey: .name),
            key: container.decode(String.self, forKey: .key), productOwnerId: container.decode(String.self, forKey: .productOwnerId),
            definitionOfReady: container.decode(String.self, forKey: .definitionOfReady),
            definitionOfDone: container.decode(String.self, forKey: .definitionOfDone),
            estimateScale: container.decode(String.self, forKey: .estimateScale)
        )
    }

    init(id: String, name: String, key: String, productOwnerId: String, definitionOfReady: String, definitionOfDone: String, estimateScale: String) throws {
        func stored<T: Decodable>(_ text: String, as type: T.Type, _ setting: String) throws -> T {
            do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
                throw DomainError(.inconsistent, code: "unreadable_row", message: "The product \(key) has a stored \(setting) this version of Tandem cannot read.")
            }
        }
        self.id = id
        self.name = name
        self.key = key
        self.productOwnerId = productOwnerId
        definitionOfReadyItems = try stored(definitionOfReady, as: [String].self, "Definition of Ready")
        definitionOfDoneItems = try stored(definitionOfDone, as: [String].self, "Definition of Done")
        scale = EstimateScale(values: try stored(estimateScale, as: [Double].self, "estimate scale"))
    }
}

/// Who the caller is in one product: read once per request, in one query, and handed to every service call
/// and every part of a page, so nothing asks the database "who is this?" twice.
public struct ProductAccess: Sendable {
    public let product: ProductSettings
    public let membership: ProductMembership
    public let userID: String
    /// How many changes the product has seen, when asked for: every change writes an activity record in its own
    /// transaction and the database counts them (`product_changes`), so a different count means something changed.
    public var changeCount: Int64?
    /// The partnership at a glance, for a page's header, when asked for: read in the same query.
    public var header: PartnershipHeader?

    /// Applies the policy; a denial carries `message` when the action has a better explanation than "only X may".
    func require(_ action: ProductAction, message: String? = nil) throws {
        switch PermissionPolicy.decide(action, for: membership) {
        case .allowed: return
        case .hidden: throw DomainError.notFound("The product")
        case .denied(let whoMay): throw DomainError.notAllowed(message ?? "Only \(whoMay) may do this.")
        }
    }

    /// The authority a move is made on, for the activity log.
    var orderingAuthority: String { membership.isProductOwner ? "productOwner" : "delegate" }
}

/// The caller's accountabilities as SQL: a subquery to join on `product_id`, and the rows it gives read back.
enum MembershipQuery {
    /// `(source, product_id, team_id, accountability)` for every accountability `userID` holds anywhere.
    static func subquery(userID: String) -> SQLQueryString {
        """
        SELECT 'product' AS source, product_id, CAST(NULL AS TEXT) AS team_id, accountability FROM product_members WHERE user_id = \(bind: userID)
        UNION ALL SELECT 'delegate', product_id, NULL, NULL FROM ordering_delegates WHERE user_id = \(bind: userID)
        UNION ALL SELECT 'team', t.product_id, tm.team_id, tm.accountability FROM team_members tm JOIN teams t ON t.id = tm.team_id
            WHERE tm.user_id = \(bind: userID)
        """
    }

    /// Folds the `source`, `team_id`, `accountability` columns of joined rows (NULL source: no accountability).
    static func membership(productOwnerID: String, userID: String, rows: [any SQLRow]) throws -> ProductMembership {
        var membership = ProductMembership(isProductOwner: productOwnerID == userID)
        for row in rows {
            guard try !row.decodeNil(column: "source") else { continue }
            let teamID = try row.decodeNil(column: "team_id") ? nil : try row.decode(column: "team_id", as: String.self)
            let accountability = try row.decodeNil(column: "accountability") ? nil : try row.decode(column: "accountability", as: String.self)
            switch try row.decode(column: "source", as: String.self) {
            case "product": membership.isStakeholder = true
            case "delegate": membership.isOrderingDelegate = true
            default:
                if let teamID, let accountability = accountability.flatMap(Accountability.init(rawValue:)),
                   membership.teamAccountabilities[teamID] == nil {
                    membership.teamAccountabilities[teamID] = accountability
                }
            }
        }
        return membership
    }
}

extension ProductService {
    /// The product with its teams, members and role conflicts, for someone whose access is loaded.
    public func product(access: ProductAccess) async throws -> ProductDTO {
        try await database.read { db in try await Self.detail(access.product.id, on: db) }
    }

    /// The caller's access to a product, for a request that reads; outsiders get "not found". Pages ask for the
    /// partnership header too, in the same statement.
    public func access(productID: String, userID: String, countingChanges: Bool = false, header: Bool = false) async throws -> ProductAccess {
        try await database.read { db in try await Self.access(productID: productID, userID: userID, countingChanges: countingChanges, header: header, on: db) }
    }

    /// One query: the product's settings and every accountability the caller holds in it (and, when asked, its
    /// change count, which lets a list answer 304 without being built).
    static func access(productID: String, userID: String, countingChanges: Bool = false, header: Bool = false, on db: any SQLDatabase) async throws -> ProductAccess {
        let changes: SQLQueryString = countingChanges
            ? ", (SELECT c.revision FROM product_changes c WHERE c.product_id = p.id) AS change_count" : ""
        let headerColumns: SQLQueryString = header ? PartnershipHeader.columns(db) : ""
        let rows = try await db.raw("""
            SELECT p.id, p.name, p.key, p.product_owner_id, p.definition_of_ready, p.definition_of_done, p.estimate_scale, m.source, m.team_id, m.accountability\(changes)\(headerColumns)
            FROM products p LEFT JOIN (\(MembershipQuery.subquery(userID: userID))) m ON m.product_id = p.id
            WHERE p.id = \(bind: productID)
            """).all()
        guard let first = rows.first else { throw DomainError.notFound("The product") }
        let product = try first.decode(model: ProductSettings.self, with: RowCoding.decoder)
        let membership = try MembershipQuery.membership(productOwnerID: product.productOwnerId, userID: userID, rows: rows)
        guard membership.isMember else { throw DomainError.notFound("The product") }
        var access = ProductAccess(product: product, membership: membership, userID: userID)
        if countingChanges {
            access.changeCount = try first.decodeNil(column: "change_count") ? 0 : try first.decode(column: "change_count", as: Int64.self)
        }
        if header { access.header = try PartnershipHeader(row: first, productOwnerID: product.productOwnerId) }
        return access
    }
}
