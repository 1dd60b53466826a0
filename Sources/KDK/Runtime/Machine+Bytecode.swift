/// The loop that runs bytecode (Compile/Bytecode.swift). A call of a bytecode
/// function pushes a `BytecodeFrame` and jumps to its first instruction;
/// its return pops it. The limits are the tree evaluator's: one step per
/// call, the depth limit, and the stack's capacity; Swift's own stack does
/// not grow with the depth of bytecode calls.
struct BytecodeFrame {
    /// The caller's code, where it resumes, and its frame (its instructions,
    /// constants and size kept here too, so a return reads no `Bytecode`).
    let code: Unmanaged<Bytecode>
    let instructions: UnsafePointer<Instruction>
    let constants: UnsafePointer<Value>
    let pc: Int
    let fp: Int
    let frameSize: Int
}

/// The calls in progress, innermost last.
struct BytecodeFrames {
    private var base = UnsafeMutablePointer<BytecodeFrame>.allocate(capacity: 16)
    private var capacity = 16
    var count = 0

    @inline(__always)
    mutating func push(_ f: BytecodeFrame) {
        if count == capacity { grow() }
        (base + count).initialize(to: f)
        count += 1
    }

    @inline(__always)
    mutating func pop() -> BytecodeFrame {
        count -= 1
        return (base + count).move()
    }

    subscript(i: Int) -> BytecodeFrame { base[i] }

    private mutating func grow() {
        let grown = UnsafeMutablePointer<BytecodeFrame>.allocate(capacity: capacity * 2)
        grown.moveInitialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity *= 2
    }

    /// Frees the buffer (the machine's `deinit`).
    func deallocate() { base.deallocate() }
}

extension UnsafeMutablePointer where Pointee == Value {
    /// Writes `v` over the value here, skipping the outlined destroy (a call
    /// and a switch) when the old value holds no reference: a register
    /// overwritten with a number most often held a number.
    @inline(__always)
    func set(_ v: Value) {
        if pointee.holdsNoReference { initialize(to: v) } else { pointee = v }
    }

    /// Copies the value at `source` here: byte for byte when neither value
    /// holds a reference (no outlined copy and destroy, each a call and a
    /// switch), else as Swift copies.
    @inline(__always)
    func copy(from source: UnsafePointer<Value>) {
        if pointee.holdsNoReference && source.pointee.holdsNoReference {
            UnsafeMutableRawPointer(self).copyMemory(from: source, byteCount: MemoryLayout<Value>.size)
        } else {
            pointee = source.pointee
        }
    }
}

extension Value {
    /// Whether this value holds no object (none, bools, numbers,
    /// quantities, times, dates), so its bytes are the whole value.
    @inline(__always)
    var holdsNoReference: Bool {
        switch self {
        case .none, .bool, .number, .quantity, .time, .date: return true
        default: return false
        }
    }
}

extension Machine {
    /// Runs `entry` in the frame `inFrame` opened for it, and returns its value.
    ///
    /// `r` points at the running frame's registers. Anything that may grow
    /// (move) the stack or change the frame (a closure, a call, an
    /// operator's general path) is followed by `r = stack + fp`.
    func execute(_ entry: Bytecode) throws -> Value {
        var bc = Unmanaged.passUnretained(entry)
        var code = UnsafePointer(entry.code)
        var constants = UnsafePointer(entry.constants)
        var frameSize = entry.frameSize
        var pc = 0
        let entryFrames = frames.count
        let entryFP = fp, entrySP = sp
        var r = stack + fp
        do {
            while true {
                let i = code[pc]
                pc &+= 1
                switch i.op {
                case .move:
                    (r + Int(i.a)).copy(from: r + Int(i.b))
                case .constant:
                    (r + Int(i.a)).copy(from: constants + Int(i.b))
                case .closure:
                    let v = try bc._withUnsafeGuaranteedRef { try $0.closures[Int(i.b)].run(self) }
                    r = stack + fp
                    r[Int(i.a)] = v
                case .addRR:
                    if case .number(let x) = r[Int(i.b)], case .number(let y) = r[Int(i.c)] {
                        (r + Int(i.a)).set(.number(try Operators.sum(x, y)))
                    } else {
                        let v = try BinOp.add.evaluate(r[Int(i.b)], r[Int(i.c)], self)
                        r = stack + fp
                        r[Int(i.a)] = v
                    }
                case .subRR:
                    if case .number(let x) = r[Int(i.b)], case .number(let y) = r[Int(i.c)] {
                        (r + Int(i.a)).set(.number(try Operators.difference(x, y)))
                    } else {
                        let v = try BinOp.sub.evaluate(r[Int(i.b)], r[Int(i.c)], self)
                        r = stack + fp
                        r[Int(i.a)] = v
                    }
                case .addRK:
                    if case .number(let x) = r[Int(i.b)], case .number(let y) = constants[Int(i.c)] {
                        (r + Int(i.a)).set(.number(try Operators.sum(x, y)))
                    } else {
                        let v = try BinOp.add.evaluate(r[Int(i.b)], constants[Int(i.c)], self)
                        r = stack + fp
                        r[Int(i.a)] = v
                    }
                case .subRK:
                    if case .number(let x) = r[Int(i.b)], case .number(let y) = constants[Int(i.c)] {
                        (r + Int(i.a)).set(.number(try Operators.difference(x, y)))
                    } else {
                        let v = try BinOp.sub.evaluate(r[Int(i.b)], constants[Int(i.c)], self)
                        r = stack + fp
                        r[Int(i.a)] = v
                    }
                case .binaryRR:
                    let v = try i.binOp.evaluate(r[Int(i.b)], r[Int(i.c)], self)
                    r = stack + fp
                    r[Int(i.a)] = v
                case .binaryRK:
                    let v = try i.binOp.evaluate(r[Int(i.b)], constants[Int(i.c)], self)
                    r = stack + fp
                    r[Int(i.a)] = v
                case .binaryKR:
                    let v = try i.binOp.evaluate(constants[Int(i.b)], r[Int(i.c)], self)
                    r = stack + fp
                    r[Int(i.a)] = v
                case .jumpUnlessRK:
                    if case .number(let x) = r[Int(i.a)], case .number(let k) = constants[Int(i.b)] {
                        if !i.binOp.holds(ordering: ExactDecimal.compare(x, k)) { pc = Int(i.c) }
                    } else {
                        let holds = try i.binOp.evaluate(r[Int(i.a)], constants[Int(i.b)], self)
                        r = stack + fp
                        if case .bool(true) = holds {} else { pc = Int(i.c) }
                    }
                case .jumpUnlessRR:
                    if case .number(let x) = r[Int(i.a)], case .number(let y) = r[Int(i.b)] {
                        if !i.binOp.holds(ordering: ExactDecimal.compare(x, y)) { pc = Int(i.c) }
                    } else {
                        let holds = try i.binOp.evaluate(r[Int(i.a)], r[Int(i.b)], self)
                        r = stack + fp
                        if case .bool(true) = holds {} else { pc = Int(i.c) }
                    }
                case .jumpUnless:
                    guard case .bool(let v) = r[Int(i.a)] else { throw Machine.notACondition(r[Int(i.a)]) }
                    if !v { pc = Int(i.c) }
                case .jump:
                    pc = Int(i.c)
                case .call:
                    let link = bc._withUnsafeGuaranteedRef { $0.links[Int(i.b)] }
                    let callee = link.function
                    let base = fp + Int(i.a)
                    guard let handle = link.bytecode, let nextCode = link.code, let nextConstants = link.constants else {
                        // Not bytecode: the tree evaluator's call, over the same registers.
                        sp = base + Int(i.c)
                        let v = try callee._withUnsafeGuaranteedRef { try invokeTopLevel($0, argc: Int(i.c)) }
                        sp = fp + frameSize
                        r = stack + fp
                        r[Int(i.a)] = v
                        continue
                    }
                    let nextSize = link.frameSize
                    let top = base + nextSize
                    depth += 1
                    if (top >= capacity && !ensureCapacity(top)) || depth > maxDepth {
                        depth -= 1
                        throw callee._withUnsafeGuaranteedRef { tooDeep($0) }
                    }
                    try step()
                    frames.push(BytecodeFrame(code: bc, instructions: code, constants: constants, pc: pc, fp: fp, frameSize: frameSize))
                    fp = base
                    sp = top
                    if top > highWater { highWater = top }
                    r = stack + base
                    bc = handle
                    code = nextCode
                    constants = nextConstants
                    frameSize = nextSize
                    pc = 0
                case .global:
                    let g = Int(i.b)
                    if globalState[g] == .ready {
                        r[Int(i.a)] = globals[g]
                    } else {
                        let v = try global(g)
                        r = stack + fp
                        r[Int(i.a)] = v
                    }
                case .unary:
                    try step()
                    let x = i.bop & Instruction.cConstant != 0 ? constants + Int(i.c) : UnsafePointer(r + Int(i.c))
                    let v = try bc._withUnsafeGuaranteedRef {
                        let u = $0.unaries[Int(i.b)]
                        return try u.run(UnaryArgument(value: x.pointee, names: u.names, machine: self))
                    }
                    r[Int(i.a)] = made(v)
                case .binary:
                    let x = i.bop & Instruction.cConstant != 0 ? constants + Int(i.c) : UnsafePointer(r + Int(i.c))
                    let y = i.bop & Instruction.dConstant != 0 ? constants + Int(i.d) : UnsafePointer(r + Int(i.d))
                    let v = try bc._withUnsafeGuaranteedRef { try $0.binaries[Int(i.b)].run(x.pointee, y.pointee) }
                    r[Int(i.a)] = v
                case .compareRR:
                    if case .number(let x) = r[Int(i.b)], case .number(let y) = r[Int(i.c)] {
                        (r + Int(i.a)).set(.bool(i.binOp.holds(ordering: ExactDecimal.compare(x, y))))
                    } else {
                        let v = try i.binOp.evaluate(r[Int(i.b)], r[Int(i.c)], self)
                        r = stack + fp
                        r[Int(i.a)] = v
                    }
                case .compareRK:
                    if case .number(let x) = r[Int(i.b)], case .number(let y) = constants[Int(i.c)] {
                        (r + Int(i.a)).set(.bool(i.binOp.holds(ordering: ExactDecimal.compare(x, y))))
                    } else {
                        let v = try i.binOp.evaluate(r[Int(i.b)], constants[Int(i.c)], self)
                        r = stack + fp
                        r[Int(i.a)] = v
                    }
                case .field:
                    let v: Value
                    if case .record(let rec) = r[Int(i.b)],
                       let k = bc._withUnsafeGuaranteedRef({ $0.fields[Int(i.c)] }).slot(in: rec) {
                        v = rec[at: k]
                    } else {
                        v = try Compiler.field(r[Int(i.b)], bc._withUnsafeGuaranteedRef { $0.fields[Int(i.c)].name }, self)
                        r = stack + fp
                    }
                    r[Int(i.a)] = v
                case .ret, .retK:
                    if frames.count == entryFrames { return i.op == .ret ? r[Int(i.a)] : constants[Int(i.a)] }
                    // The value goes to the callee's first register, which is
                    // the caller's: swapped in, so no count changes.
                    if i.op == .retK { r[0] = constants[Int(i.a)] } else if i.a != 0 { swap(&r[0], &r[Int(i.a)]) }
                    let f = frames.pop()
                    depth -= 1
                    fp = f.fp
                    r = stack + f.fp
                    bc = f.code
                    code = f.instructions
                    constants = f.constants
                    frameSize = f.frameSize
                    sp = f.fp + frameSize
                    pc = f.pc
                }
            }
        } catch {
            // Where the error happened, then each call it passes through
            // (an error already located keeps its place), as the tree
            // evaluator's `located` around each call does.
            var thrown = error
            if var e = error as? EvalError {
                if let range = bc._withUnsafeGuaranteedRef({ $0.ranges[pc - 1] }) { e = e.located(range, bc._withUnsafeGuaranteedRef { $0.file }) }
                var k = frames.count
                while k > entryFrames {
                    k -= 1
                    let f = frames[k]
                    // The caller's `call` instruction, which always has a range.
                    if let range = f.code._withUnsafeGuaranteedRef({ $0.ranges[f.pc - 1] }) {
                        e = e.located(range, f.code._withUnsafeGuaranteedRef { $0.file })
                    }
                }
                thrown = e
            }
            depth -= frames.count - entryFrames
            while frames.count > entryFrames { _ = frames.pop() }
            fp = entryFP
            sp = entrySP
            throw thrown
        }
    }

    /// The error of an `if` whose condition is not a bool (as `Compiler.compileCondition` words it).
    static func notACondition(_ v: Value) -> EvalError {
        EvalError("the condition of 'if' must be a bool, not \(Operators.describe(v))",
                  help: "compare explicitly, e.g. x != none or x > 0")
    }
}
