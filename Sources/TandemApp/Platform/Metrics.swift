import Metrics
import Prometheus

/// Process-wide metrics: swift-metrics can be bootstrapped once, so tests and `serve` share this registry.
public enum TandemMetrics {
    /// The histogram of database statements per request, by route (`StatementMetricsMiddleware`).
    static let statementsPerRequest = "tandem_db_statements_per_request"

    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets[statementsPerRequest] = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100]
        MetricsSystem.bootstrap(factory)
        return registry
    }()
}
