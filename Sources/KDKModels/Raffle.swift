import Crypto
import KDK

/// The only randomness kdk has: SHA-256 of a published seed and each
/// entrant's key, so anyone can re-derive a draw (docs/models.md has the
/// Python that does).
enum Raffle {
    /// The hex SHA-256 of a text's UTF-8 bytes, lowercase.
    static func sha256(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(text.utf8)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An entrant's ticket: `sha256(seed + ":" + key)`. Keys are drawn in
    /// ascending ticket order.
    static func ticket(seed: String, key: String) -> String { sha256(seed + ":" + key) }

    /// A winner's weight in a random split: 1 plus the first 8 hex digits of
    /// `sha256(seed + ":split:" + key)` read as a number (1 to 2^32), a draw
    /// independent of the ticket that made them a winner.
    static func weight(seed: String, key: String) -> ExactDecimal {
        let hex = sha256(seed + ":split:" + key).prefix(8)
        return ExactDecimal(1 + Int(UInt32(hex, radix: 16) ?? 0))
    }

    /// The text a key is hashed as: text as written, anything else (an id
    /// number) as its literal (`12`).
    static func keyText(_ key: Value) -> String {
        if case .text(let t) = key { return t }
        return key.literal()
    }
}
