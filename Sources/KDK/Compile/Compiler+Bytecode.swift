/// Compiles a top-level `fn`'s body to register bytecode (Bytecode.swift):
/// numbers, locals, the arithmetic and comparison operators, `if`, blocks
/// and calls of top-level functions become instructions; any other node is
/// compiled by the tree compiler and run by one `closure` instruction.
extension Compiler {
    /// An operand: a register, or a constant.
    enum Operand {
        case register(Int)
        case constant(Int)
    }

    /// The bytecode being written for one function.
    struct Emitter {
        var code: [Instruction] = []
        var constants: [Value] = []
        var closures: [Op] = []
        var callees: [Unmanaged<CompiledFunction>] = []
        var unaries: [Bytecode.Unary] = []
        var binaries: [Bytecode.Binary] = []
        var fields: [Bytecode.FieldName] = []
        var ranges: [SourceRange?] = []
        /// The first free register (temporaries are taken and given back in
        /// stack order, so a call's arguments are always the top registers).
        var next: Int
        var highest: Int
        /// The first temporary (below it: parameters and block `let`s).
        let frame: Int

        init(frame: Int) { next = frame; highest = frame; self.frame = frame }

        mutating func emit(_ i: Instruction, _ r: SourceRange?) {
            code.append(i)
            ranges.append(r)
        }

        mutating func constant(_ v: Value) -> Int {
            constants.append(v)
            return constants.count - 1
        }

        mutating func temporary() -> Int {
            next += 1
            highest = max(highest, next)
            return next - 1
        }
    }

    /// Raised when a function does not fit the 16-bit operands: it is then
    /// compiled by the tree compiler alone.
    struct TooLarge: Error {}

    /// `body` as bytecode for `cf`, or nil when it does not fit the operands.
    func bytecode(_ cf: CompiledFunction, body: Expr) -> Bytecode? {
        var e = Emitter(frame: cf.frameSize)
        do {
            try emitTail(body, &e)
        } catch {
            return nil
        }
        guard e.code.count < Int(UInt16.max), e.constants.count < Int(UInt16.max), e.highest < Int(UInt16.max) else { return nil }
        return Bytecode(code: e.code, constants: e.constants, closures: e.closures, callees: e.callees,
                        unaries: e.unaries, binaries: e.binaries, fields: e.fields,
                        ranges: e.ranges, file: file, frameSize: e.highest)
    }

    /// A 16-bit operand, or `TooLarge`.
    func u16(_ x: Int) throws -> UInt16 {
        guard let v = UInt16(exactly: x) else { throw TooLarge() }
        return v
    }

    /// Code that returns `e`'s value: each branch of an `if` returns for itself.
    func emitTail(_ e: Expr, _ em: inout Emitter) throws {
        let saved = current
        current = e
        defer { current = saved }
        switch e.kind {
        case .ifElse(let c, let a, let b):
            let skip = try emitJumpUnless(c, &em)
            try emitTail(a, &em)
            em.code[skip].c = try u16(em.code.count)
            try emitTail(b, &em)
        case .block(let lets, let result):
            for (slot, l) in zip(program.blockSlots(e), lets) { try emit(l.value, into: slot, &em) }
            try emitTail(result, &em)
        default:
            let mark = em.next
            switch try operand(e, &em) {
            case .register(let r): em.emit(Instruction(op: .ret, a: try u16(r)), nil)
            case .constant(let k): em.emit(Instruction(op: .retK, a: try u16(k)), nil)
            }
            em.next = mark
        }
    }

    /// `e` as an operand: a local's register or a constant as it is, else a
    /// temporary computed into (the caller gives temporaries back).
    func operand(_ e: Expr, _ em: inout Emitter) throws -> Operand {
        if let v = constant(e) { return .constant(em.constant(v)) }
        if case .local(let s)? = program.ref(e) { return .register(s) }
        let t = em.temporary()
        try emit(e, into: t, &em)
        return .register(t)
    }

    /// Code that leaves `e`'s value in register `dst`.
    func emit(_ e: Expr, into dst: Int, _ em: inout Emitter) throws {
        let saved = current
        current = e
        defer { current = saved }
        let d = try u16(dst)
        if let v = constant(e) {
            em.emit(Instruction(op: .constant, a: d, b: try u16(em.constant(v))), nil)
            return
        }
        switch e.kind {
        case .name where program.ref(e) != nil:
            switch program.ref(e) {
            case .local(let s)?:
                if s != dst { em.emit(Instruction(op: .move, a: d, b: try u16(s)), nil) }
                return
            case .global(let g)? where g <= Int(UInt16.max):
                // Located as `compileName` locates the let's own errors.
                em.emit(Instruction(op: .global, a: d, b: UInt16(g)), e.range)
                return
            default: break
            }
        case .field(let recv, let name, let nr) where program.ref(e) == nil:
            let mark = em.next
            guard case .register(let rr) = try operand(recv, &em) else { em.next = mark; break }
            em.next = mark
            em.fields.append(Bytecode.FieldName(name: name, hash: name.hashValue))
            note("bytecode: r\(dst) = r\(rr).\(name)")
            em.emit(Instruction(op: .field, a: d, b: try u16(rr), c: try u16(em.fields.count - 1)), nr)
            return
        case .binary(let bop, let a, let b) where bop != .in && bop != .notIn:
            let mark = em.next
            let x = try operand(a, &em), y = try operand(b, &em)
            em.next = mark
            switch (x, y) {
            case (.register(let rx), .register(let ry)):
                let op: Opcode = bop == .add ? .addRR : bop == .sub ? .subRR : bop.isComparison ? .compareRR : .binaryRR
                note("bytecode: r\(dst) = r\(rx) \(bop.symbol) r\(ry)")
                em.emit(Instruction(op: op, bop: bop.code, a: d, b: try u16(rx), c: try u16(ry)), e.range)
                return
            case (.register(let rx), .constant(let ky)):
                let op: Opcode = bop == .add ? .addRK : bop == .sub ? .subRK : bop.isComparison ? .compareRK : .binaryRK
                note("bytecode: r\(dst) = r\(rx) \(bop.symbol) \(em.constants[ky].literal())")
                em.emit(Instruction(op: op, bop: bop.code, a: d, b: try u16(rx), c: try u16(ky)), e.range)
                return
            case (.constant(let kx), .register(let ry)):
                note("bytecode: r\(dst) = \(em.constants[kx].literal()) \(bop.symbol) r\(ry)")
                em.emit(Instruction(op: .binaryKR, bop: bop.code, a: d, b: try u16(kx), c: try u16(ry)), e.range)
                return
            case (.constant, .constant):
                break
            }
        case .ifElse(let c, let a, let b):
            let skip = try emitJumpUnless(c, &em)
            try emit(a, into: dst, &em)
            let done = em.code.count
            em.emit(Instruction(op: .jump, a: 0), nil)
            em.code[skip].c = try u16(em.code.count)
            try emit(b, into: dst, &em)
            em.code[done].c = try u16(em.code.count)
            return
        case .block(let lets, let result):
            for (slot, l) in zip(program.blockSlots(e), lets) { try emit(l.value, into: slot, &em) }
            try emit(result, into: dst, &em)
            return
        case .call(let callee, let args):
            if case .global(let gi)? = program.ref(callee), let cf = functions[gi],
               args.count == cf.paramCount, args.allSatisfy({ $0.label == nil }) {
                try emitCall(cf, args, into: dst, e.range, &em)
                return
            }
            // A library function of one or two arguments, given in order,
            // that is no pipeline's part (those may fuse: `compile` decides).
            if case .builtin(let b)? = program.ref(callee), b.pipeline == nil, b.namedRest == nil,
               args.count == b.params.count, args.allSatisfy({ $0.label == nil }) {
                if args.count == 1, let unary = b.unary {
                    let mark = em.next
                    let (kinds, x, _) = try operands(args[0].value, nil, &em)
                    em.next = mark
                    em.unaries.append(Bytecode.Unary(run: unary, names: ArgumentNames(parameter: b.params[0].name, callee: b.name)))
                    note("bytecode: r\(dst) = \(b.name)(…)")
                    em.emit(Instruction(op: .unary, bop: kinds, a: d, b: try u16(em.unaries.count - 1), c: x), e.range)
                    return
                }
                if args.count == 2, let binary = b.binary {
                    let mark = em.next
                    let (kinds, x, y) = try operands(args[0].value, args[1].value, &em)
                    em.next = mark
                    em.binaries.append(Bytecode.Binary(run: binary, name: b.name))
                    note("bytecode: r\(dst) = \(b.name)(…, …)")
                    em.emit(Instruction(op: .binary, bop: kinds, a: d, b: try u16(em.binaries.count - 1), c: x, d: y), e.range)
                    return
                }
            }
        default:
            break
        }
        note("bytecode: r\(dst) = closure")
        em.closures.append(Op(compile(e)))
        em.emit(Instruction(op: .closure, a: d, b: try u16(em.closures.count - 1)), nil)
    }

    /// One or two operands of a library call, with their kinds as `unary`
    /// and `binary` keep them (temporaries taken are the caller's to give back).
    func operands(_ x: Expr, _ y: Expr?, _ em: inout Emitter) throws -> (kinds: UInt8, x: UInt16, y: UInt16) {
        var kinds: UInt8 = 0
        func one(_ e: Expr, _ bit: UInt8) throws -> UInt16 {
            switch try operand(e, &em) {
            case .register(let r): return try u16(r)
            case .constant(let k): kinds |= bit; return try u16(k)
            }
        }
        let a = try one(x, Instruction.cConstant)
        let b = try y.map { try one($0, Instruction.dConstant) } ?? 0
        return (kinds, a, b)
    }

    /// A call of a top-level `fn` with every argument given in order: the
    /// arguments go into the top registers, where the callee's frame starts.
    func emitCall(_ cf: CompiledFunction, _ args: [Arg], into dst: Int, _ r: SourceRange, _ em: inout Emitter) throws {
        let mark = em.next
        // Into the top temporary: the callee's frame may start there.
        let reuse = dst >= em.frame && dst == em.next - 1
        let base = reuse ? dst : em.next
        // Each argument's register is taken when it is computed, so it is
        // the top one then, and a call computing it needs no move after.
        for (i, a) in args.enumerated() {
            let t = reuse && i == 0 ? dst : em.temporary()
            try emit(a.value, into: t, &em)
        }
        em.callees.append(callee(cf).fn)
        note("bytecode: r\(base) = call \(cf.name)(\(args.indices.map { "r\(base + $0)" }.joined(separator: ", ")))")
        em.emit(Instruction(op: .call, a: try u16(base), b: try u16(em.callees.count - 1), c: try u16(args.count)), r)
        if dst != base { em.emit(Instruction(op: .move, a: try u16(dst), b: try u16(base)), nil) }
        em.next = mark
    }

    /// Tests `c` for `if`, with a jump (its target left for the caller to
    /// set) taken when it is false; returns the jump's index.
    func emitJumpUnless(_ c: Expr, _ em: inout Emitter) throws -> Int {
        if let (s, bop, k) = localAgainstConstant(c), bop.isComparison {
            note("bytecode: unless r\(s) \(bop.symbol) \(k), jump")
            em.emit(Instruction(op: .jumpUnlessRK, bop: bop.code, a: try u16(s), b: try u16(em.constant(.number(k)))), c.range)
            return em.code.count - 1
        }
        if case .binary(let bop, let a, let b) = c.kind, bop.isComparison,
           case .local(let s)? = program.ref(a), case .local(let t)? = program.ref(b) {
            note("bytecode: unless r\(s) \(bop.symbol) r\(t), jump")
            em.emit(Instruction(op: .jumpUnlessRR, bop: bop.code, a: try u16(s), b: try u16(t)), c.range)
            return em.code.count - 1
        }
        let mark = em.next
        let t = em.temporary()
        try emit(c, into: t, &em)
        em.next = mark
        em.emit(Instruction(op: .jumpUnless, a: try u16(t)), c.range)
        return em.code.count - 1
    }
}
