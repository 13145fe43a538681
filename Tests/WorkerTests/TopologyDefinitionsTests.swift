import Foundation
import Infrastructure
import Testing

/// The definitions file `pizzeria topology` prints for each work-queue type.
@Suite("Topology definitions")
struct TopologyDefinitionsTests {
    private func queues(_ topology: Topology) throws -> [String: [String: Any]] {
        let data = Data(topology.definitions().utf8)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require(document["queues"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0["arguments"] as? [String: Any] ?? [:]) })
    }

    @Test("Quorum: the three work queues carry x-queue-type quorum; their delay and dead-letter queues stay classic")
    func quorumWorkQueues() throws {
        let queues = try queues(Topology(workQueueType: .quorum))
        for name in ["kitchen", "delivery", "email"] {
            #expect(queues[name]?["x-queue-type"] as? String == "quorum", "\(name)")
            #expect(queues["\(name).dead"]?["x-queue-type"] == nil, "\(name).dead")
            #expect(queues["\(name).retry.5s"]?["x-queue-type"] == nil, "\(name).retry.5s")
            #expect(queues["\(name).retry.5s"]?["x-dead-letter-routing-key"] as? String == name)
        }
    }

    @Test("Quorum is the default; classic: no queue names a type, as the definitions of earlier versions did")
    func classicWorkQueues() throws {
        #expect(Topology().workQueueType == .quorum)
        let queues = try queues(Topology(workQueueType: .classic))
        #expect(queues.count == 15)
        #expect(queues.values.allSatisfy { $0["x-queue-type"] == nil })
    }
}
