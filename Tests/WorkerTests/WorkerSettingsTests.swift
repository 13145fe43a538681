import Domain
import Infrastructure
import Testing
@testable import Workers

/// Each role's prefetch and largest batch, as the queue workers read them.
@Suite("Worker settings")
struct WorkerSettingsTests {
    private func settings(prefetch: UInt16 = 50) -> WorkerSettings {
        WorkerSettings(amqp: AMQPConfiguration(), prefetch: prefetch, reactions: ReactionTable(timings: .zero), maildir: "/tmp/unused")
    }

    @Test("The email worker takes 250 messages ahead and batches as many; kitchen and delivery keep the shared 50 and 100")
    func defaults() {
        let settings = settings()
        #expect(settings.prefetch(for: .email) == 250)
        #expect(settings.batchSize(for: .email) == 250)
        for role in [WorkerRole.kitchen, .delivery] {
            #expect(settings.prefetch(for: role) == 50)
            #expect(settings.batchSize(for: role) == 100)
        }
    }

    @Test("A role's own prefetch below the batch size leaves the batch size alone; without one the role takes the shared prefetch")
    func overrides() {
        var settings = settings(prefetch: 20)
        settings.rolePrefetch[.email] = 10
        settings.rolePrefetch[.kitchen] = 300
        #expect(settings.prefetch(for: .email) == 10)
        #expect(settings.batchSize(for: .email) == 100)
        #expect(settings.prefetch(for: .kitchen) == 300)
        #expect(settings.batchSize(for: .kitchen) == 300)
        #expect(settings.prefetch(for: .delivery) == 20)
        settings.rolePrefetch[.email] = nil
        #expect(settings.prefetch(for: .email) == 20)
    }

    @Test("The kitchen gathers a batch for 2 ms, the delivery for 50 ms, the email for 100 ms")
    func gatherWindows() {
        let settings = settings()
        #expect(settings.gatherWindows[.kitchen] == .milliseconds(2))
        #expect(settings.gatherWindows[.delivery] == .milliseconds(50))
        #expect(settings.gatherWindows[.email] == .milliseconds(100))
    }
}
