/// A list's items, `[1, 2, 3]`. A struct around a `ListStorage` object rather
/// than a bare Swift array, so that freeing a list runs kdk's own `deinit`:
/// Swift frees an array of arrays by recursion (one stack frame pair per
/// level), which a list nested millions deep would overflow; `ListStorage`
/// hands its items to `Reclaimer` instead (see there).
///
/// It reads like an array (`count`, subscripts, `for x in xs`, `map`);
/// `array` gives the items as a Swift array without copying them.
/// `@unchecked Sendable` because `ManagedBuffer` is explicitly not: the items
/// are written once, by `make`, and only read after that (moved out in
/// `deinit`, when nothing else can see them).
public struct ValueList: RandomAccessCollection, ExpressibleByArrayLiteral, @unchecked Sendable {
    @usableFromInline let storage: ListStorage

    /// A list of these items.
    @inlinable public init(_ items: [Value]) { storage = ListStorage.make(items) }

    /// Every row of `table`, in order: a list that knows it is one, so that
    /// an award over it takes the rows by number without reading a million
    /// values to find out (`rowsOf`). Its items are made as they are read (a
    /// record is the table and a row number), and kept only once something
    /// asks for them all (`array`): the award never does, and a million of
    /// them made up front were 32 MB and 16 ms.
    init(rowsOf table: ColumnTable) { storage = ListStorage.make([], made: .table(table)) }

    /// The items of `lists`, one after another, each read where it is (an
    /// award's excluded entries: the rows its rules left out, then those a
    /// leaderboard passed over, five million values when made).
    init(joining lists: [ValueList]) {
        let lists = lists.filter { !$0.isEmpty }
        storage = lists.count == 1 ? lists[0].storage : ListStorage.make([], made: .joined(JoinedLists(lists)))
    }

    /// The texts in `buffer`, in order (`split`'s pieces): made when read,
    /// so that a text of millions of words is one copy of its bytes and an
    /// end for each, not a value for each, and `join` copies them back
    /// straight from the buffer.
    init(texts buffer: TextBuffer) { storage = ListStorage.make([], made: .texts(buffer)) }

    /// The buffer this list's texts are (`init(texts:)`); nil for any other list.
    var textsOf: TextBuffer? {
        storage.withUnsafeMutablePointerToHeader { h in
            if case .texts(let b)? = h.pointee.lazy?.source { return b }
            return nil
        }
    }

    /// The table this list is every row of, in order (`read_csv`'s list);
    /// nil for any other list, whatever its items.
    package var rowsOf: ColumnTable? {
        storage.withUnsafeMutablePointerToHeader { h in
            if case .table(let t)? = h.pointee.lazy?.source { return t }
            return nil
        }
    }
    /// The empty list, shared (for closures that capture nothing).
    static let empty = ValueList([])

    /// A list of these items.
    public init(arrayLiteral items: Value...) { self.init(items) }

    /// The items, as a Swift array (shares the storage; copy-on-write).
    @inlinable public var array: [Value] {
        storage.withUnsafeMutablePointerToHeader { h in h.pointee.lazy == nil ? h.pointee.items : storage.madeItems() }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage.withUnsafeMutablePointerToHeader { $0.pointee.count } }
    @inlinable public var count: Int { endIndex }
    @inlinable public var isEmpty: Bool { endIndex == 0 }
    @inlinable public subscript(i: Int) -> Value {
        storage.withUnsafeMutablePointerToHeader { h in
            guard let lazy = h.pointee.lazy else { return h.pointee.items[i] }
            precondition(i >= 0 && i < h.pointee.count, "Index out of range")
            return lazy.item(i)
        }
    }
    @inlinable public subscript(bounds: Range<Int>) -> ArraySlice<Value> { array[bounds] }
    @inlinable public func index(after i: Int) -> Int { i + 1 }
    @inlinable public func index(before i: Int) -> Int { i - 1 }

    /// Whether both are the very same list (not merely equal).
    public func isIdentical(to other: ValueList) -> Bool { storage === other.storage }
}

/// The storage of a list: a Swift array as the header of a `ManagedBuffer`,
/// which is read through a pointer (a class's `var` would be checked for
/// exclusive access at run time on every read), and which `deinit` can move
/// out of, so the array's last reference is the one handed to `Reclaimer`.
@usableFromInline final class ListStorage: ManagedBuffer<ListItems, Void> {
    @usableFromInline static func make(_ items: [Value], made source: LazyItems.Source? = nil) -> ListStorage {
        unsafeDowncast(create(minimumCapacity: 0) { _ in ListItems(items: items, lazy: source.map(LazyItems.init)) }, to: ListStorage.self)
    }

    /// The items of a list whose items are made when read, all made the
    /// first time they are asked for (by whichever thread asks first) and kept.
    @usableFromInline func madeItems() -> [Value] {
        withUnsafeMutablePointerToHeader { h in h.pointee.lazy?.all() ?? h.pointee.items }
    }

    deinit {
        var items: [Value] = []
        withUnsafeMutablePointerToHeader { swap(&$0.pointee.items, &items) }
        if Reclaimer.mayNest(items) { Reclaimer.free(consume items) }
    }
}

/// A list's items, or where they are made from when read (then `items` is
/// empty).
@usableFromInline struct ListItems {
    @usableFromInline var items: [Value]
    @usableFromInline let lazy: LazyItems?
    @usableFromInline let count: Int

    init(items: [Value], lazy: LazyItems?) {
        self.items = items
        self.lazy = lazy
        count = lazy?.count ?? items.count
    }
}

/// Items made as they are read: every row of a table, the texts of one
/// buffer, or the items of several lists one after another. Out of line:
/// the plain list's subscript stays one branch.
@usableFromInline final class LazyItems {
    @usableFromInline enum Source {
        case table(ColumnTable)
        case joined(JoinedLists)
        case texts(TextBuffer)
    }
    let source: Source
    let count: Int
    /// Every item, once made (`all`).
    private let made = Guarded<[Value]?>(nil)

    init(_ source: Source) {
        self.source = source
        switch source {
        case .table(let t): count = t.count
        case .joined(let j): count = j.count
        case .texts(let b): count = b.count
        }
    }

    /// Item `i` (in range: the list checked).
    @usableFromInline func item(_ i: Int) -> Value {
        switch source {
        case .table(let t): return .record(Record(table: t, row: i))
        case .joined(let j): return j.item(i)
        case .texts(let b): return .text(b.text(i))
        }
    }

    func all() -> [Value] {
        made.withLock { items in
            if items == nil {
                switch source {
                case .table(let t): items = t.rows
                case .joined(let j): items = j.lists.flatMap(\.array)
                case .texts(let b): items = (0..<b.count).map { .text(b.text($0)) }
                }
            }
            return items ?? []
        }
    }
}

/// Lists one after another, and where each starts.
@usableFromInline struct JoinedLists {
    let lists: [ValueList]
    private let starts: [Int]
    let count: Int

    init(_ lists: [ValueList]) {
        let lists = lists.filter { !$0.isEmpty }
        self.lists = lists
        var starts: [Int] = [], n = 0
        for l in lists { starts.append(n); n += l.count }
        self.starts = starts
        count = n
    }

    /// Item `i` of the whole: the last list starting at or before it.
    func item(_ i: Int) -> Value {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= i { lo = mid } else { hi = mid - 1 }
        }
        return lists[lo][i - starts[lo]]
    }
}
