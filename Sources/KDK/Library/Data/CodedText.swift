/// A text column whose texts repeat, coded as the file is read: a code per
/// row and each distinct text once, never the bytes of every cell (a post's
/// text in ten million rows was 470 MB held until the end, then coded).
/// The same column `Column.texts` codes from the bytes: codes in the order
/// the texts first come, each text's bytes as first read, compared as bytes.
struct CodedText {
    private(set) var codes: [UInt32] = []
    private(set) var present = Validity()
    /// Each distinct text's bytes, by code.
    private(set) var texts: [[UInt8]] = []
    private var index: [[UInt8]: UInt32] = [:]

    /// A piece's cells, coded on the piece's thread: codes of its own, and
    /// its distinct texts in the order they first come.
    struct Part {
        var codes: [UInt32]
        var texts: [[UInt8]]
        var present: Validity

        /// The cells as bytes again.
        var cells: TextBuffer {
            var b = TextBuffer()
            for c in codes { _ = texts[Int(c)].withUnsafeBufferPointer { b.append($0) } }
            return b
        }
    }

    /// `cells` coded; nil past `ByteInterner.limit` distinct texts.
    static func part(_ cells: TextBuffer, _ present: Validity) -> Part? {
        var interner = ByteInterner(cells)
        var codes = [UInt32]()
        codes.reserveCapacity(cells.count)
        for r in 0..<cells.count {
            guard let code = interner.code(r) else { return nil }
            codes.append(code)
        }
        let texts = cells.bytes.withUnsafeBufferPointer { b in interner.firstSpans.map { Array(b[$0]) } }
        return Part(codes: codes, texts: texts, present: present)
    }

    /// Whether a column whose first cells are `cells` is worth coding as it
    /// is read: when its first `Column.codingSample` are here, by the rule
    /// `Column.texts` codes a column by.
    static func worthCoding(_ cells: TextBuffer) -> Bool {
        let sample = Column.codingSample
        guard cells.count >= sample else { return false }
        var interner = ByteInterner(cells)
        for r in 0..<sample where interner.code(r) == nil { return false }
        return Column.repeats(interner.count, among: sample)
    }

    /// A part's rows after these; false, leaving the codes as they were,
    /// when the column would have more than `ByteInterner.limit` distinct
    /// texts (then it is kept as bytes: `Column.texts` would not code it).
    mutating func append(_ part: Part) -> Bool {
        var fresh = 0
        for t in part.texts where index[t] == nil { fresh += 1 }
        guard texts.count + fresh <= ByteInterner.limit else { return false }
        let map = part.texts.map { t -> UInt32 in
            if let c = index[t] { return c }
            let c = UInt32(texts.count)
            index[t] = c
            texts.append(t)
            return c
        }
        codes += part.codes.lazy.map { map[Int($0)] }
        present.append(contentsOf: part.present)
        return true
    }

    /// How many bytes the cells take as bytes.
    var byteCount: Int { codes.reduce(0) { $0 + texts[Int($1)].count } }

    /// The cells as bytes again, and which are present.
    var cells: (cells: TextBuffer, present: Validity) {
        (Part(codes: codes, texts: texts, present: present).cells, present)
    }

    var column: Column { .codes(codes, texts.map { String(decoding: $0, as: UTF8.self) }, present) }
}
