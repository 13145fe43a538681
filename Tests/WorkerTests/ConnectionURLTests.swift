import Infrastructure
import Testing

/// The broker and Redis URLs an operator sets in `PIZZERIA_AMQP_URL` and `PIZZERIA_REDIS_URL`.
@Suite("Connection URLs")
struct ConnectionURLTests {
    @Test("An AMQP URL gives host, port, credentials and the percent-decoded vhost")
    func amqpFull() throws {
        let configuration = try AMQPConfiguration(url: "amqp://pizza%40shop:p%3Ass@broker.local:5700/orders%2Feu")
        #expect(configuration.host == "broker.local")
        #expect(configuration.port == 5700)
        #expect(configuration.user == "pizza@shop")
        #expect(configuration.password == "p:ss")
        #expect(configuration.vhost == "orders/eu")
    }

    @Test("Missing AMQP parts take the defaults (a bare amqp:// is localhost), and %2F, an empty path and no path all mean vhost /")
    func amqpDefaults() throws {
        for text in ["amqp://127.0.0.1", "amqp://127.0.0.1/", "amqp://127.0.0.1/%2F"] {
            let configuration = try AMQPConfiguration(url: text)
            #expect(configuration == AMQPConfiguration(host: "127.0.0.1", port: 5672, user: "guest", password: "guest", vhost: "/"), "\(text)")
        }
        #expect(try AMQPConfiguration(url: "amqp://guest:guest@127.0.0.1:5673/%2F").port == 5673)
        // RabbitMQ's URI spec: a bare `amqp://` is the local broker with every default.
        #expect(try AMQPConfiguration(url: "amqp://") == AMQPConfiguration(host: "localhost"))
    }

    @Test("A URL that is not plain amqp:// with a host and a valid port is refused with the text it got")
    func amqpRefused() {
        for text in ["http://127.0.0.1", "amqps://127.0.0.1", "amqp://127.0.0.1:notaport", "amqp://127.0.0.1:70000", "127.0.0.1:5672"] {
            #expect(throws: AMQPError.self, "\(text)") { try AMQPConfiguration(url: text) }
            do {
                _ = try AMQPConfiguration(url: text)
            } catch {
                #expect(error.description.contains(text), "\(error)")
            }
        }
    }

    @Test("A Redis URL gives host and port, with 6379 by default and IPv6 in brackets")
    func redisAccepted() throws {
        #expect(try RedisConfiguration(url: "redis://127.0.0.1:6380") == RedisConfiguration(host: "127.0.0.1", port: 6380))
        #expect(try RedisConfiguration(url: "redis://cache.local/") == RedisConfiguration(host: "cache.local", port: 6379))
        #expect(try RedisConfiguration(url: "redis://[::1]:6381") == RedisConfiguration(host: "::1", port: 6381))
        #expect(try RedisConfiguration(url: "redis://[::1]") == RedisConfiguration(host: "::1", port: 6379))
    }

    @Test("Credentials, a database, a bad port or another scheme in the Redis URL are refused, not ignored")
    func redisRefused() {
        for text in ["redis://user:secret@127.0.0.1:6379", "redis://127.0.0.1:6379/2", "redis://127.0.0.1:", "redis://127.0.0.1:0",
                     "redis://127.0.0.1:65536", "redis://", "rediss://127.0.0.1", "redis://[::1", "redis://[::1]x"] {
            #expect(throws: RedisError.self, "\(text)") { try RedisConfiguration(url: text) }
        }
    }
}
