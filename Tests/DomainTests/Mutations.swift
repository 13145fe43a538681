import Testing

/// Runs `check` on `rounds` mutated copies of the seeds (taken in turn, each changed one to three
/// times by a generator started at `seed`, so a failure replays). `check` compares the fast path
/// with its reference and says whether the fast path accepted the bytes; both outcomes must
/// happen often, so that the comparison was not vacuous.
func expectOnMutations(of seeds: [[UInt8]], rounds: Int, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation,
                       _ check: ([UInt8]) -> Bool) {
    var generator = SeededGenerator(state: seed)
    var accepted = 0
    for round in 0..<rounds {
        var bytes = seeds[round % seeds.count]
        for _ in 0..<Int.random(in: 1...3, using: &generator) { bytes = mutate(bytes, using: &generator) }
        if check(bytes) { accepted += 1 }
    }
    #expect(accepted > rounds / 20, sourceLocation: sourceLocation)
    #expect(accepted < rounds - rounds / 20, sourceLocation: sourceLocation)
}

/// SplitMix64: a small seeded generator, so that a failing mutation can be replayed.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Bytes a mutation writes: JSON syntax, digits, letters of literals and escapes, and bytes that break UTF-8.
private let mutationBytes: [UInt8] = Array(#"{}[]":,\ 0129-.eEu+ntfalsr"#.utf8) + [0x0A, 0x09, 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xA9, 0xED, 0xF0, 0xFF]

/// `body` changed in one random way: a byte replaced, inserted or removed, a span repeated, or the end cut off.
private func mutate(_ body: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
    var bytes = body
    guard !bytes.isEmpty else { return [mutationBytes.randomElement(using: &generator)!] }
    let index = Int.random(in: 0..<bytes.count, using: &generator)
    let byte = mutationBytes.randomElement(using: &generator)!
    switch Int.random(in: 0..<6, using: &generator) {
    case 0, 1: bytes[index] = byte
    case 2: bytes.insert(byte, at: index)
    case 3: bytes.remove(at: index)
    case 4:
        let end = min(bytes.count, index + Int.random(in: 1...12, using: &generator))
        bytes.insert(contentsOf: bytes[index..<end], at: end)
    default: bytes.removeSubrange(index...)
    }
    return bytes
}
