/// A top-level `fn`'s body as register bytecode (docs/design.md, "A register
/// bytecode for function bodies"): instructions are plain data run by one
/// loop (`Machine.execute`), so a call of one bytecode function from
/// another pushes a frame and jumps, with no closure context, no Swift
/// recursion and no reference counted per instruction.
///
/// Registers are the machine's value stack from the frame's base: the
/// checker's slots (parameters, then block `let`s), then temporaries. What
/// the instructions do not cover stays a closure of the tree evaluator,
/// run by `closure` into a register; the two meet at the value stack.
final class Bytecode: @unchecked Sendable {
    // Unchecked: filled in by the compiler before the program is returned,
    // read-only after (as `CompiledFunction`).
    /// The instructions, in a buffer of their own: the loop reads them
    /// without a bounds check or an array's retain.
    let code: UnsafeMutablePointer<Instruction>
    let count: Int
    /// Constant operands (`K[i]`).
    let constants: UnsafeMutablePointer<Value>
    let constantCount: Int
    /// The tree evaluator's code for what has no instruction.
    let closures: [Op]
    /// Top-level functions called by `call`, unowned as in `Compiler.Callee`.
    let callees: [Unmanaged<CompiledFunction>]
    /// The same with their bytecode, filled in by `link` once every function
    /// is compiled: a call reads one entry, not the function and then its code.
    let links: UnsafeMutablePointer<Link>
    /// Library functions of one and two arguments (`unary`, `binary`).
    let unaries: [Unary]
    let binaries: [Binary]
    /// Field names read by `field`, with their hashes.
    let fields: [FieldName]
    /// Where an error raised by each instruction is located; nil for an
    /// instruction that leaves the location to its caller (as the tree's
    /// nodes leave an error from a child's code unlocated).
    let ranges: [SourceRange?]
    let file: SourceFile
    /// Registers used: the checker's frame plus temporaries.
    let frameSize: Int

    /// A callee as `call` reads it.
    struct Link {
        let function: Unmanaged<CompiledFunction>
        let code: UnsafePointer<Instruction>?
        let constants: UnsafePointer<Value>?
        let frameSize: Int
        let bytecode: Unmanaged<Bytecode>?
    }

    /// Fills in `links` from the callees' bytecode (the compiler calls it
    /// when every function of the program has its body).
    func link() {
        for (i, f) in callees.enumerated() {
            let b = f._withUnsafeGuaranteedRef { $0.bytecodeHandle }
            links[i] = Link(function: f, code: b.map { UnsafePointer($0._withUnsafeGuaranteedRef { $0.code }) },
                            constants: b.map { UnsafePointer($0._withUnsafeGuaranteedRef { $0.constants }) },
                            frameSize: b?._withUnsafeGuaranteedRef { $0.frameSize } ?? 0, bytecode: b)
        }
    }

    struct Unary {
        let run: @Sendable (UnaryArgument) throws -> Value
        let names: ArgumentNames
        var name: String { names.callee }
    }
    struct Binary {
        let run: @Sendable (Value, Value) throws -> Value
        let name: String
    }
    struct FieldName {
        let name: String
        let hash: Int

        @inline(__always)
        func slot(in rec: Record) -> Int? { rec.shape.slot(name, hash: hash) }
    }

    init(code: [Instruction], constants: [Value], closures: [Op], callees: [Unmanaged<CompiledFunction>],
         unaries: [Unary], binaries: [Binary], fields: [FieldName], ranges: [SourceRange?], file: SourceFile, frameSize: Int) {
        self.unaries = unaries
        self.binaries = binaries
        self.fields = fields
        self.code = .allocate(capacity: max(1, code.count))
        self.code.initialize(from: code, count: code.count)
        count = code.count
        self.constants = .allocate(capacity: max(1, constants.count))
        self.constants.initialize(from: constants, count: constants.count)
        constantCount = constants.count
        self.closures = closures
        self.callees = callees
        links = .allocate(capacity: max(1, callees.count))
        links.initialize(from: callees.map { Link(function: $0, code: nil, constants: nil, frameSize: 0, bytecode: nil) }, count: callees.count)
        self.ranges = ranges
        self.file = file
        self.frameSize = frameSize
    }

    /// The instructions, one per line, as `kdk run --dump` lists them.
    var listing: [String] {
        (0..<count).map { pc in
            let i = code[pc]
            func k(_ x: UInt16) -> String { constants[Int(x)].literal() }
            let text: String
            switch i.op {
            case .move: text = "r\(i.a) = r\(i.b)"
            case .constant: text = "r\(i.a) = \(k(i.b))"
            case .closure: text = "r\(i.a) = closure \(i.b)"
            case .addRR, .subRR, .binaryRR: text = "r\(i.a) = r\(i.b) \(i.op == .addRR ? "+" : i.op == .subRR ? "-" : i.binOp.symbol) r\(i.c)"
            case .addRK, .subRK, .binaryRK: text = "r\(i.a) = r\(i.b) \(i.op == .addRK ? "+" : i.op == .subRK ? "-" : i.binOp.symbol) \(k(i.c))"
            case .binaryKR: text = "r\(i.a) = \(k(i.b)) \(i.binOp.symbol) r\(i.c)"
            case .jumpUnlessRK: text = "unless r\(i.a) \(i.binOp.symbol) \(k(i.b)) jump \(i.c)"
            case .jumpUnlessRR: text = "unless r\(i.a) \(i.binOp.symbol) r\(i.b) jump \(i.c)"
            case .jumpUnless: text = "unless r\(i.a) jump \(i.c)"
            case .jump: text = "jump \(i.c)"
            case .call:
                let name = callees[Int(i.b)]._withUnsafeGuaranteedRef { $0.name }
                text = "r\(i.a) = call \(name)(\((0..<Int(i.c)).map { "r\(Int(i.a) + $0)" }.joined(separator: ", ")))"
            case .global: text = "r\(i.a) = global \(i.b)"
            case .unary: text = "r\(i.a) = \(unaries[Int(i.b)].name)(\(i.bop & Instruction.cConstant != 0 ? k(i.c) : "r\(i.c)"))"
            case .binary:
                let x = i.bop & Instruction.cConstant != 0 ? k(i.c) : "r\(i.c)", y = i.bop & Instruction.dConstant != 0 ? k(i.d) : "r\(i.d)"
                text = "r\(i.a) = \(binaries[Int(i.b)].name)(\(x), \(y))"
            case .compareRR: text = "r\(i.a) = r\(i.b) \(i.binOp.symbol) r\(i.c)"
            case .compareRK: text = "r\(i.a) = r\(i.b) \(i.binOp.symbol) \(k(i.c))"
            case .field: text = "r\(i.a) = r\(i.b).\(fields[Int(i.c)].name)"
            case .ret: text = "return r\(i.a)"
            case .retK: text = "return \(k(i.a))"
            }
            return "\(pc): \(text)"
        }
    }

    deinit {
        links.deinitialize(count: callees.count)
        links.deallocate()
        code.deinitialize(count: count)
        code.deallocate()
        constants.deinitialize(count: constantCount)
        constants.deallocate()
    }
}

/// One instruction: an opcode, an operator (for the binary and comparison
/// opcodes) or operand kinds (for library calls), and up to four operands
/// (registers, constants, jump targets), ten bytes in all.
struct Instruction: Sendable {
    var op: Opcode
    var bop: UInt8 = 0
    var a: UInt16
    var b: UInt16 = 0
    var c: UInt16 = 0
    var d: UInt16 = 0

    /// For `unary` and `binary`: operand c (bit 1) or d (bit 2) is a constant.
    static let cConstant: UInt8 = 1, dConstant: UInt8 = 2

    /// The binary operator of a `binary…` or `jumpUnless…` instruction.
    var binOp: BinOp { BinOp(code: bop) }
}

/// What an instruction does. `r[x]` is register x of the running frame,
/// `K[x]` constant x.
enum Opcode: UInt8, Sendable {
    /// r[a] = r[b]
    case move
    /// r[a] = K[b]
    case constant
    /// r[a] = the tree evaluator's closure b
    case closure
    /// r[a] = r[b] + r[c], r[a] = r[b] - r[c] (the two commonest operators
    /// have opcodes of their own: a switch on the operator cost 3% of fib)
    case addRR, subRR
    /// r[a] = r[b] + K[c], r[a] = r[b] - K[c]
    case addRK, subRK
    /// r[a] = r[b] bop r[c]; r[a] = r[b] bop K[c]; r[a] = K[b] bop r[c]
    case binaryRR, binaryRK, binaryKR
    /// Unless r[a] bop K[b] holds, jump to c (`if n < 2`).
    case jumpUnlessRK
    /// Unless r[a] bop r[b] holds, jump to c (`if y < x`).
    case jumpUnlessRR
    /// r[a] must be a bool (for `if`); unless it is true, jump to c.
    case jumpUnless
    /// Jump to c.
    case jump
    /// r[a] = callees[b](r[a], ..., r[a + c - 1]): the arguments are the
    /// frame's top registers, and the callee's frame starts at r[a].
    case call
    /// Returns r[a]; returns K[a].
    case ret, retK
    /// r[a] = global b (evaluated on first use).
    case global
    /// r[a] = unaries[b](c), a step counted first (c a register, or a
    /// constant when `bop` has `cConstant`).
    case unary
    /// r[a] = binaries[b](c, d) (each a register, or a constant by `bop`).
    case binary
    /// r[a] = r[b] bop r[c]; r[a] = r[b] bop K[c], for the comparisons:
    /// numbers compare in place.
    case compareRR, compareRK
    /// r[a] = field fields[c] of r[b].
    case field
}

extension BinOp {
    /// The operator as an instruction keeps it: its case's index, which is
    /// how Swift lays out an enum without payloads (BytecodeTests checks
    /// every case goes there and back). A bit cast, because looking the
    /// index up in `allCases` builds that array on every call.
    var code: UInt8 { unsafeBitCast(self, to: UInt8.self) }

    /// The operator an instruction keeps as `code`.
    init(code: UInt8) { self = unsafeBitCast(min(code, UInt8(BinOp.allCases.count - 1)), to: BinOp.self) }
}
