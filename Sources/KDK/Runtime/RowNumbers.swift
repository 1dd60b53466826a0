/// Row numbers of a table (or places in a list), in the order given: a run
/// of consecutive rows (every row of `read_csv`'s table from one on: no
/// array at all), or each number in 32 bits while every one fits, else in
/// 64. An award over ten million posts keeps several such lists; as `[Int]`
/// the run alone was 80 MB, the eligible rows 40 MB, and the leaderboard's
/// order 40 MB.
public struct RowNumbers: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable, Equatable {
    // Inlinable where the models read rows (a leaderboard's sort and walk,
    // in KDKModels): called across the module, each row was a call and a
    // look at the storage, and each loop step a call for `endIndex`.
    @usableFromInline enum Storage: Sendable, Equatable {
        case run(Range<Int>)
        case narrow([UInt32])
        case wide([Int])
    }
    @usableFromInline var storage: Storage

    /// Rows `run`, in order.
    public init(run: Range<Int>) { storage = .run(run) }

    /// These rows, in this order.
    public init<S: Sequence>(_ rows: S) where S.Element == Int {
        var narrow: [UInt32] = []
        narrow.reserveCapacity(rows.underestimatedCount)
        var it = rows.makeIterator()
        while let r = it.next() {
            guard let x = UInt32(exactly: r) else {
                var wide = narrow.map(Int.init)
                wide.append(r)
                while let r = it.next() { wide.append(r) }
                storage = .wide(wide)
                return
            }
            narrow.append(x)
        }
        storage = .narrow(narrow)
    }

    public init() { storage = .narrow([]) }

    /// The rows when they are a run of consecutive rows, kept as one.
    public var run: Range<Int>? {
        if case .run(let r) = storage { return r }
        return nil
    }

    /// These rows, each in 32 bits.
    public init(narrow rows: [UInt32]) { storage = .narrow(rows) }

    public init(arrayLiteral rows: Int...) { self.init(rows) }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int {
        switch storage {
        case .run(let r): return r.count
        case .narrow(let xs): return xs.count
        case .wide(let xs): return xs.count
        }
    }

    @inlinable public subscript(i: Int) -> Int {
        switch storage {
        case .run(let r):
            precondition(i >= 0 && i < r.count, "Index out of range")
            return r.lowerBound + i
        case .narrow(let xs): return Int(xs[i])
        case .wide(let xs): return xs[i]
        }
    }

    /// The rows in order, from the storage taken once.
    public struct Iterator: IteratorProtocol {
        @usableFromInline let storage: Storage
        @usableFromInline var at = 0
        @inlinable init(_ storage: Storage) { self.storage = storage }

        @inlinable public mutating func next() -> Int? {
            defer { at += 1 }
            switch storage {
            case .run(let r): return at < r.count ? r.lowerBound + at : nil
            case .narrow(let xs): return at < xs.count ? Int(xs[at]) : nil
            case .wide(let xs): return at < xs.count ? xs[at] : nil
            }
        }
    }

    @inlinable public func makeIterator() -> Iterator { Iterator(storage) }

    @inlinable public func index(after i: Int) -> Int { i + 1 }
    @inlinable public func index(before i: Int) -> Int { i - 1 }

    public mutating func reserveCapacity(_ n: Int) {
        switch storage {
        case .run: break
        case .narrow(var xs):
            storage = .narrow([])
            xs.reserveCapacity(n)
            storage = .narrow(xs)
        case .wide(var xs):
            storage = .wide([])
            xs.reserveCapacity(n)
            storage = .wide(xs)
        }
    }

    /// `row` after these (a run that `row` continues stays a run).
    public mutating func append(_ row: Int) {
        switch storage {
        case .run(let r) where r.upperBound == row || r.isEmpty:
            storage = .run(r.isEmpty ? row..<(row + 1) : r.lowerBound..<(row + 1))
        case .run(let r):
            self = RowNumbers(r)
            append(row)
        case .narrow(var xs):
            storage = .narrow([])  // held once, so the append does not copy
            if let x = UInt32(exactly: row) {
                xs.append(x)
                storage = .narrow(xs)
            } else {
                storage = .wide(xs.map(Int.init) + [row])
            }
        case .wide(var xs):
            storage = .wide([])
            xs.append(row)
            storage = .wide(xs)
        }
    }

    /// `other`'s rows after these.
    public mutating func append(contentsOf other: RowNumbers) {
        if case .run(let a) = storage, case .run(let b) = other.storage, a.upperBound == b.lowerBound || a.isEmpty || b.isEmpty {
            storage = .run(a.isEmpty ? b : b.isEmpty ? a : a.lowerBound..<b.upperBound)
            return
        }
        if case .narrow(var xs) = storage, case .narrow(let ys) = other.storage {
            storage = .narrow([])
            xs += ys
            storage = .narrow(xs)
            return
        }
        var all = Array(self)
        all += other
        self = RowNumbers(all)
    }

    public static func == (a: RowNumbers, b: RowNumbers) -> Bool { a.elementsEqual(b) }
}
