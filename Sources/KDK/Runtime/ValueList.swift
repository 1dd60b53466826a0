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
    init(rowsOf table: ColumnTable) { storage = ListStorage.make([], rowsOf: table) }

    /// The table this list is every row of, in order (`read_csv`'s list);
    /// nil for any other list, whatever its items.
    package var rowsOf: ColumnTable? { storage.withUnsafeMutablePointerToHeader { $0.pointee.rowsOf } }
    /// The empty list, shared (for closures that capture nothing).
    static let empty = ValueList([])

    /// A list of these items.
    public init(arrayLiteral items: Value...) { self.init(items) }

    /// The items, as a Swift array (shares the storage; copy-on-write).
    @inlinable public var array: [Value] {
        storage.withUnsafeMutablePointerToHeader { h in h.pointee.rowsOf == nil ? h.pointee.items : storage.tableRows() }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage.withUnsafeMutablePointerToHeader { $0.pointee.count } }
    @inlinable public var count: Int { endIndex }
    @inlinable public var isEmpty: Bool { endIndex == 0 }
    @inlinable public subscript(i: Int) -> Value {
        storage.withUnsafeMutablePointerToHeader { h in
            guard let table = h.pointee.rowsOf else { return h.pointee.items[i] }
            precondition(i >= 0 && i < table.count, "Index out of range")
            return .record(Record(table: table, row: i))
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
    @usableFromInline static func make(_ items: [Value], rowsOf table: ColumnTable? = nil) -> ListStorage {
        unsafeDowncast(create(minimumCapacity: 0) { _ in ListItems(items: items, rowsOf: table) }, to: ListStorage.self)
    }

    /// A table's rows as values, made the first time they are asked for (by
    /// whichever thread asks first) and kept.
    @usableFromInline func tableRows() -> [Value] {
        withUnsafeMutablePointerToHeader { h in
            guard let table = h.pointee.rowsOf, let made = h.pointee.made else { return h.pointee.items }
            return made.withLock { rows in
                if rows == nil { rows = table.rows }
                return rows ?? []
            }
        }
    }

    deinit {
        var items: [Value] = []
        withUnsafeMutablePointerToHeader { swap(&$0.pointee.items, &items) }
        if Reclaimer.mayNest(items) { Reclaimer.free(consume items) }
    }
}

/// A list's items, or the table they are every row of (then `items` is
/// empty: each is made when read).
@usableFromInline struct ListItems {
    @usableFromInline var items: [Value]
    @usableFromInline let rowsOf: ColumnTable?
    @usableFromInline let count: Int
    /// The table's rows, once made (`ListStorage.tableRows`).
    let made: Guarded<[Value]?>?

    init(items: [Value], rowsOf: ColumnTable?) {
        self.items = items
        self.rowsOf = rowsOf
        count = rowsOf?.count ?? items.count
        made = rowsOf == nil ? nil : Guarded(nil)
    }
}
