import Infrastructure
import Testing

/// The customer's tracking token and the digest the database keeps of it.
@Suite("Tracking tokens")
struct TrackingTokenTests {
    @Test("A token is 32 lower-case hex characters, and no two are alike")
    func tokenShape() {
        let tokens = (0..<1000).map { _ in TrackingToken.make() }
        for token in tokens {
            #expect(token.utf8.count == 32)
            #expect(token.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }, "\(token)")
        }
        #expect(Set(tokens).count == tokens.count)
    }

    @Test("The stored hash is SHA-256 in lower-case hex, and only the right token matches it")
    func hash() {
        #expect(TrackingToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let token = TrackingToken.make()
        #expect(TrackingToken.matches(token, hash: TrackingToken.hash(token)))
        #expect(!TrackingToken.matches(TrackingToken.make(), hash: TrackingToken.hash(token)))
    }
}
