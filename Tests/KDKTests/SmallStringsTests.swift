@testable import KDK
import XCTest

/// `String(validUTF8:_:)` makes small strings in place: each must be the
/// string `String(decoding:)` makes, whether its bytes are read as two
/// words (16 bytes or more from its start) or one by one (near the end).
final class SmallStringsTests: XCTestCase {
    func check(_ piece: String, _ note: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(piece.utf8)
        // Before the piece a byte, after it 16 bytes with high bits set,
        // which the masks must leave out; then the piece at the very end.
        let padded = [0x61] + bytes + [UInt8](repeating: 0xFF, count: 16), atEnd = [0x61] + bytes
        for buffer in [padded, atEnd] {
            let made = buffer.withUnsafeBufferPointer { String(validUTF8: $0, 1..<(1 + bytes.count)) }
            // One failure per piece, so that checking a million stays quick.
            let same = made == piece && Array(made.utf8) == bytes && made.count == piece.count && made.hashValue == piece.hashValue
                && Array(made.unicodeScalars) == Array(piece.unicodeScalars) && made + "x" == piece + "x" && !(made < piece || piece < made)
            if !same { XCTFail("\(made.debugDescription) is not \(piece.debugDescription) \(note())", file: file, line: line) }
        }
    }

    func testEveryScalar() {
        for v in 0...0x10FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            check(String(scalar), "U+\(String(v, radix: 16))")
        }
    }

    /// Pieces of 0 to 15 bytes and past: ASCII, CJK, marks, emoji, in every length.
    func testPiecesOfEveryLength() {
        var rng = SplitMix(seed: 15)
        let parts = ["a", "#", "K", "发", "帖", "\u{301}", "é", "Ж", "👍", "🇯🇵", "\r\n", "\u{FFFF}", "\u{7F}", "\u{80}"]
        for _ in 0..<3_000 {
            var piece = ""
            while piece.utf8.count < 20 {
                check(piece, piece.debugDescription)
                piece += parts[Int(rng.next() % UInt64(parts.count))]
            }
            check(piece, piece.debugDescription)
        }
    }
}
