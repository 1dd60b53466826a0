/// The 1-based line each data row of a CSV file starts on, for error
/// messages. Kept as the rows where a row's line stops being the previous
/// row's plus one (after a quoted line break, a blank line, a row left out):
/// a file whose rows are one line each costs a few integers, not one per row
/// (a million rows' lines as `[Int]` were 8 MB, 5% of reading the file).
struct RowLines: RandomAccessCollection {
    /// Each row at which `line - row` changes, with its new value.
    private var steps: [(row: Int, offset: Int)] = []
    private(set) var count = 0

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    /// Row `r`'s line.
    subscript(r: Int) -> Int {
        // The last step at or before `r` (the first row always has one).
        var low = 0, high = steps.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if steps[mid].row <= r { low = mid } else { high = mid }
        }
        return r + steps[low].offset
    }

    /// The next row starts on `line`.
    mutating func append(_ line: Int) {
        if steps.last?.offset != line - count { steps.append((count, line - count)) }
        count += 1
    }

    /// Another's rows after these, each `shift` lines further on.
    mutating func append(contentsOf other: RowLines, shiftedBy shift: Int) {
        for s in other.steps where steps.last?.offset != s.offset + shift - count {
            steps.append((count + s.row, s.offset + shift - count))
        }
        count += other.count
    }
}
