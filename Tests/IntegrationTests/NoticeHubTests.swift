import Domain
import Foundation
@testable import Infrastructure
import Logging
import Testing

/// The live-view fan-out, without Redis: a slow client must not grow memory without bound.
@Suite("Notice hub")
struct NoticeHubTests {
    @Test("A client that does not read loses its stream after a bounded buffer; other clients keep theirs")
    func slowClientIsDropped() async {
        let hub = NoticeHub(configuration: RedisConfiguration(), logger: Logger(label: "test.hub"), bufferSize: 4)
        let slow = hub.subscribe(.order("o-1"))
        let other = hub.subscribe(.order("o-2"))
        #expect(hub.clientCount == 2)
        for seq in 1...10 {
            hub.deliver(StatusNotice(orderId: "o-1", seq: seq, status: .placed, at: Date(), eventId: nil), kitchen: false)
        }
        var received: [Int] = []
        for await item in slow {
            if case .notice(let notice) = item { received.append(notice.seq) }
        }
        #expect(received == [1, 2, 3, 4], "the buffered notices, then the stream ends (the browser resumes from SQLite)")
        #expect(hub.clientCount == 1)
        hub.deliver(StatusNotice(orderId: "o-2", seq: 1, status: .placed, at: Date(), eventId: nil), kitchen: false)
        var iterator = other.makeAsyncIterator()
        guard case .notice(let notice)? = await iterator.next() else {
            Issue.record("the other client got nothing")
            return
        }
        #expect(notice.orderId == "o-2")
        #expect(notice.seq == 1)
    }
}
