/// The loop that runs bytecode (Compile/Bytecode.swift). A call of a bytecode
/// function pushes a `BytecodeFrame` and jumps to its first instruction;
/// its return pops it. The limits are the tree evaluator's: one step per
/// call, the depth limit, and the stack's capacity; Swift's own stack does
/// not grow with the depth of bytecode calls.
struct BytecodeFrame {
    /// The caller's code, where it resumes, and its frame.
    let code: Unmanaged<Bytecode>
    let pc: Int
    let fp: Int
}

extension Machine {
    /// Runs `entry` in the frame `inFrame` opened for it, and returns its value.
    func execute(_ entry: Bytecode) throws -> Value {
        var bc = Unmanaged.passUnretained(entry)
        var code = UnsafePointer(entry.code)
        var constants = UnsafePointer(entry.constants)
        var pc = 0
        let entryFrames = frames.count
        let entryFP = fp, entrySP = sp
        do {
            while true {
                let i = code[pc]
                pc &+= 1
                switch i.op {
                case .move:
                    stack[fp + Int(i.a)] = stack[fp + Int(i.b)]
                case .constant:
                    stack[fp + Int(i.a)] = constants[Int(i.b)]
                case .closure:
                    let v = try bc._withUnsafeGuaranteedRef { try $0.closures[Int(i.b)].run(self) }
                    stack[fp + Int(i.a)] = v
                case .addRR:
                    if case .number(let x) = stack[fp + Int(i.b)], case .number(let y) = stack[fp + Int(i.c)] {
                        stack[fp + Int(i.a)] = .number(try Operators.sum(x, y))
                    } else {
                        stack[fp + Int(i.a)] = try BinOp.add.evaluate(stack[fp + Int(i.b)], stack[fp + Int(i.c)], self)
                    }
                case .subRR:
                    if case .number(let x) = stack[fp + Int(i.b)], case .number(let y) = stack[fp + Int(i.c)] {
                        stack[fp + Int(i.a)] = .number(try Operators.difference(x, y))
                    } else {
                        stack[fp + Int(i.a)] = try BinOp.sub.evaluate(stack[fp + Int(i.b)], stack[fp + Int(i.c)], self)
                    }
                case .addRK:
                    if case .number(let x) = stack[fp + Int(i.b)], case .number(let y) = constants[Int(i.c)] {
                        stack[fp + Int(i.a)] = .number(try Operators.sum(x, y))
                    } else {
                        stack[fp + Int(i.a)] = try BinOp.add.evaluate(stack[fp + Int(i.b)], constants[Int(i.c)], self)
                    }
                case .subRK:
                    if case .number(let x) = stack[fp + Int(i.b)], case .number(let y) = constants[Int(i.c)] {
                        stack[fp + Int(i.a)] = .number(try Operators.difference(x, y))
                    } else {
                        stack[fp + Int(i.a)] = try BinOp.sub.evaluate(stack[fp + Int(i.b)], constants[Int(i.c)], self)
                    }
                case .binaryRR:
                    stack[fp + Int(i.a)] = try i.binOp.evaluate(stack[fp + Int(i.b)], stack[fp + Int(i.c)], self)
                case .binaryRK:
                    stack[fp + Int(i.a)] = try i.binOp.evaluate(stack[fp + Int(i.b)], constants[Int(i.c)], self)
                case .binaryKR:
                    stack[fp + Int(i.a)] = try i.binOp.evaluate(constants[Int(i.b)], stack[fp + Int(i.c)], self)
                case .jumpUnlessRK:
                    let holds: Bool
                    if case .number(let x) = stack[fp + Int(i.a)], case .number(let k) = constants[Int(i.b)] {
                        holds = i.binOp.holds(ordering: ExactDecimal.compare(x, k))
                    } else if case .bool(let v) = try i.binOp.evaluate(stack[fp + Int(i.a)], constants[Int(i.b)], self) {
                        holds = v
                    } else {
                        holds = false
                    }
                    if !holds { pc = Int(i.c) }
                case .jumpUnlessRR:
                    let holds: Bool
                    if case .number(let x) = stack[fp + Int(i.a)], case .number(let y) = stack[fp + Int(i.b)] {
                        holds = i.binOp.holds(ordering: ExactDecimal.compare(x, y))
                    } else if case .bool(let v) = try i.binOp.evaluate(stack[fp + Int(i.a)], stack[fp + Int(i.b)], self) {
                        holds = v
                    } else {
                        holds = false
                    }
                    if !holds { pc = Int(i.c) }
                case .jumpUnless:
                    guard case .bool(let v) = stack[fp + Int(i.a)] else { throw Machine.notACondition(stack[fp + Int(i.a)]) }
                    if !v { pc = Int(i.c) }
                case .jump:
                    pc = Int(i.c)
                case .call:
                    let callee = bc._withUnsafeGuaranteedRef { $0.callees[Int(i.b)] }
                    let base = fp + Int(i.a)
                    guard let handle = callee._withUnsafeGuaranteedRef({ $0.bytecodeHandle }) else {
                        // Not bytecode: the tree evaluator's call, over the same registers.
                        sp = base + Int(i.c)
                        let v = try callee._withUnsafeGuaranteedRef { try invokeTopLevel($0, argc: Int(i.c)) }
                        sp = fp + bc._withUnsafeGuaranteedRef { $0.frameSize }
                        stack[base] = v
                        continue
                    }
                    let (nextCode, nextConstants, frameSize) = handle._withUnsafeGuaranteedRef { (UnsafePointer($0.code), UnsafePointer($0.constants), $0.frameSize) }
                    let top = base + frameSize
                    depth += 1
                    if (top >= capacity && !ensureCapacity(top)) || depth > maxDepth {
                        depth -= 1
                        throw callee._withUnsafeGuaranteedRef { tooDeep($0) }
                    }
                    try step()
                    frames.append(BytecodeFrame(code: bc, pc: pc, fp: fp))
                    fp = base
                    sp = top
                    if top > highWater { highWater = top }
                    bc = handle
                    code = nextCode
                    constants = nextConstants
                    pc = 0
                case .ret, .retK:
                    let v = i.op == .ret ? stack[fp + Int(i.a)] : constants[Int(i.a)]
                    if frames.count == entryFrames { return v }
                    let f = frames.removeLast()
                    depth -= 1
                    stack[fp] = v
                    fp = f.fp
                    bc = f.code
                    (code, constants, sp) = bc._withUnsafeGuaranteedRef { (UnsafePointer($0.code), UnsafePointer($0.constants), f.fp + $0.frameSize) }
                    pc = f.pc
                }
            }
        } catch {
            // Where the error happened, then each call it passes through
            // (an error already located keeps its place), as the tree
            // evaluator's `located` around each call does.
            var thrown = error
            if var e = error as? EvalError {
                if let r = bc._withUnsafeGuaranteedRef({ $0.ranges[pc - 1] }) { e = e.located(r, bc._withUnsafeGuaranteedRef { $0.file }) }
                for f in frames[entryFrames...].reversed() {
                    e = f.code._withUnsafeGuaranteedRef { e.located($0.ranges[f.pc - 1]!, $0.file) }
                }
                thrown = e
            }
            depth -= frames.count - entryFrames
            frames.removeSubrange(entryFrames...)
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
