import Foundation

/// What editors ask the engine while a line is being typed, answered from
/// what the checker knows (never from the wording of its messages).
extension Engine {
    /// The fields the checker knows for the receiver of the field name at
    /// `offset` in `source` (`posts.filter(p => p.li|`): a record literal's,
    /// a data file's columns, a shape's, a host's typed input's, a model's
    /// entries'. Empty when it does not know them.
    ///
    /// The text is read up to the end of the offset's line, with the
    /// brackets that line leaves open closed, and a `.` at `offset` with no
    /// name after it is a field being typed, so a half-typed line answers.
    public func fields(at offset: Int, in source: String, name: String = "<input>", importRoot: URL? = nil,
                       timeout: Double? = 5) -> [String] {
        let bytes = Array(source.utf8)
        guard offset >= 0, offset <= bytes.count else { return [] }
        var lineEnd = offset
        while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
        let text = String(decoding: bytes[..<lineEnd], as: UTF8.self) + Engine.closers(of: Array(bytes[..<lineEnd])) + "\n"
        let deadline = timeout.flatMap { $0 > 0 ? Date().timeIntervalSince1970 + $0 : nil }
        let (_, checker, _) = checked(SourceFile(name: name, text: text), importRoot: importRoot, dataRoot: nil,
                                      deadline: deadline, completingField: offset)
        return checker.fieldsAtCompletion ?? []
    }

    /// The brackets `bytes` leaves open, closed (texts and comments skipped).
    static func closers(of bytes: [UInt8]) -> String {
        var open: [UInt8] = []
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "#"): while i < bytes.count, bytes[i] != 10 { i += 1 }
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != 10 { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
            case UInt8(ascii: "("): open.append(UInt8(ascii: ")"))
            case UInt8(ascii: "["): open.append(UInt8(ascii: "]"))
            case UInt8(ascii: "{"): open.append(UInt8(ascii: "}"))
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): _ = open.popLast()
            default: break
            }
            i += 1
        }
        return String(decoding: open.reversed(), as: UTF8.self)
    }
}
