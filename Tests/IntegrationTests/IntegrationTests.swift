import Testing

/// Every integration suite runs inside this one, one test at a time: they share one RabbitMQ and
/// one Redis (each test in its own vhost), and some tests stop and start the broker.
@Suite("Integration (real RabbitMQ, Redis, SQLite)", .serialized)
struct IntegrationTests {}
