/*
 * The grammar of .nnet files: network declarations that the nnet compiler turns into
 * shape-specialised Java classes.
 *
 *     let classes = 10
 *
 *     network MnistMlp {
 *         let hidden = 128
 *         input image: float[28, 28]
 *         x = flatten(image)
 *         h = dense(x, units: hidden, activation: relu)
 *         output probs = dense(h, units: classes, activation: softmax)
 *         train { loss: categorical_crossentropy  optimizer: adam(learning_rate: 1e-3) }
 *     }
 *
 * Conventions: no embedded actions (the AST is built by dev.nnet.dsl.AstBuilder, a visitor),
 * the entry rule `file` ends in EOF, every rule with more than one alternative labels each
 * alternative, and every element the AST builder reads has a name.
 *
 * The grammar does not know layer kinds, setting names or element types: those are ordinary
 * identifiers here, so the checker can say "unknown layer 'dens'" instead of a syntax error.
 *
 * The antlr4-maven-plugin derives the package (dev.nnet.dsl.grammar) from this file's
 * directory, so there is no @header.
 *
 * Error handling lives in Java (dev.nnet.dsl.NnetErrorStrategy): the lexer never fails (any
 * character it cannot place becomes an ERROR_CHAR, UNTERMINATED_STRING or UNTERMINATED_COMMENT
 * token) and the parser turns those tokens, and every mismatch, into one diagnostic per
 * statement.
 */
grammar Nnet;

// ---------------------------------------------------------------------------------------------
// Parser rules
// ---------------------------------------------------------------------------------------------

// A file declares any number of networks and file-level constants, in any order (an empty file
// is valid). A file-level 'let' may end with ';', like a member. EOF makes the parser read the
// whole input rather than stop after the last complete network.
//
// Scope of constants (the checker applies it; the grammar only collects them):
//   * a file-level 'let' is visible in every network of the file, whether it is written before
//     or after the network;
//   * a network-level 'let' is visible in that network only, and shadows a file-level constant
//     of the same name.
// A file-level 'let' with a syntax error leaves out the networks that could see it: those that
// mention its name or, when its name cannot be read ('let 3 = 4'), every network of the file.
file
    : (lets+=letDecl SEMI? | networks+=networkDecl | gans+=ganDecl SEMI?)* EOF
    ;

// network MnistMlp { ... }: the name becomes the generated class's simple name.
networkDecl
    : NETWORK name=IDENTIFIER LBRACE members+=member* RBRACE
    ;

// What a network body holds, in any order. A member may end with ';', but need not: newlines
// are not significant, and the members are told apart by their first tokens.
member
    : inputDecl SEMI?       # inputMember
    | layerStatement SEMI?  # layerMember
    | trainBlock SEMI?      # trainMember
    | letDecl SEMI?         # letMember
    ;

// let hidden = 128: a named constant (a hyper-parameter), in a network or at the top of the file
// (see 'file' for its scope). The value is any expr; the checker decides which values may be
// used where (an integer in a shape or for 'units', a name such as relu for an activation, ...).
letDecl
    : LET name=IDENTIFIER ASSIGN value=expr
    ;

// input image: float[28, 28]
inputDecl
    : INPUT name=IDENTIFIER COLON type=tensorType
    ;

// float[28, 28]: the element type and the shape of one sample (no batch dimension). A string
// input (one text per sample) has no shape: 'input text: string'; the checker decides which
// element types need one.
tensorType
    : elementType=IDENTIFIER (LBRACK dims+=expr (COMMA dims+=expr)* RBRACK)?
    ;

// h = dense(x, units: 128) or, for a network output, output probs = dense(h, units: 10).
// Assigning a name twice is allowed by the grammar (h = ...; h = ...): the checker decides.
//
// With a block, the statement is the sequential shorthand, a stack of layers each reading the
// one before it:
//
//     output probs = sequential(image) {
//         flatten()
//         dense(units: 10, activation: softmax)
//     }
//
// 'sequential' is not a keyword: a call followed by '{' is told apart by the '{' (nothing else
// can follow a call there). The AST builder requires the call to be 'sequential' with one input
// tensor, and turns the block into ordinary layer statements (see dev.nnet.dsl.AstBuilder).
layerStatement
    : output=OUTPUT? target=IDENTIFIER ASSIGN call block=sequentialBlock?
    ;

// The layers of a sequential block: calls, each optionally ended by ';'. Newlines are not
// significant, so 'flatten() dense(units: 10)' on one line is two layers.
sequentialBlock
    : LBRACE (layers+=call SEMI?)* RBRACE
    ;

// dense(x, units: 128, activation: relu): positional and named arguments, with an optional
// trailing comma.
call
    : name=IDENTIFIER LPAREN (args+=argument (COMMA args+=argument)* COMMA?)? RPAREN
    ;

// x (positional) or units: 128 (named).
argument
    : (name=IDENTIFIER COLON)? value=expr
    ;

// gan DigitsGan(generator: Generator, discriminator: Discriminator): a GAN in one line. The call
// names the generated stacking network and gives its two parts (networks of the file) and
// options; the checker writes the stack (fake = Generator(noise), output = Discriminator(fake)).
ganDecl
    : GAN spec=call
    ;

// A value: a number (an optional '-' belongs to the number), a name (a tensor, a constant or an
// option such as relu), a string, a list, or a call used as a value (adam(learning_rate: 1e-3)).
expr
    : minus=MINUS? number=NUMBER                                        # numberExpr
    | name=IDENTIFIER                                                   # nameExpr
    | text=STRING                                                       # stringExpr
    | LBRACK (elements+=expr (COMMA elements+=expr)* COMMA?)? RBRACK    # listExpr
    | call                                                              # callExpr
    ;

// train { loss: categorical_crossentropy  batch: 32 }: settings, each optionally ended by ';'.
trainBlock
    : TRAIN LBRACE (settings+=setting SEMI?)* RBRACE
    ;

// loss: categorical_crossentropy
setting
    : key=IDENTIFIER COLON value=expr
    ;

// ---------------------------------------------------------------------------------------------
// Lexer rules
// ---------------------------------------------------------------------------------------------

// Keywords are reserved: they cannot name a network, tensor, layer, setting or constant. They come
// before IDENTIFIER so that, at equal length, the keyword wins.
NETWORK : 'network' ;
INPUT   : 'input' ;
OUTPUT  : 'output' ;
TRAIN   : 'train' ;
LET     : 'let' ;
GAN     : 'gan' ;

LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACK : '[' ;
RBRACK : ']' ;
COMMA  : ',' ;
COLON  : ':' ;
SEMI   : ';' ;
ASSIGN : '=' ;
MINUS  : '-' ;

// 128, 0.2, 2., .5, 1e-3, 6.02E23. No sign: '-' is a separate token that expr attaches to the
// number. A number is an integer (Expr.Number.integer) only when it is a plain digit string.
NUMBER
    : DIGITS ('.' DIGITS?)? EXPONENT?
    | '.' DIGITS EXPONENT?
    ;

// ASCII letters, digits and '_', not starting with a digit.
IDENTIFIER
    : [a-zA-Z_] [a-zA-Z_0-9]*
    ;

// "text" on one line. Any backslash escape lexes; the AST builder resolves \" \\ \n \t and
// reports any other as a syntax error, which reads better than a lexer failure.
STRING
    : '"' (ESCAPE | ~["\\\r\n])* '"'
    ;

// A string with no closing quote before the end of the line (or file). Longest match makes a
// closed string a STRING; the parser reports this token as "unterminated string".
UNTERMINATED_STRING
    : '"' (ESCAPE | ~["\\\r\n])* '\\'?
    ;

// Comments: to the end of the line, or between /* and the first */ (they do not nest).
LINE_COMMENT
    : '//' ~[\r\n]* -> skip
    ;

BLOCK_COMMENT
    : '/*' (~'*' | '*'+ ~[*/])* '*'+ '/' -> skip
    ;

// A /* with no */ after it: runs to the end of the file. It goes to the hidden channel, where
// the reader finds and reports it; the parser then simply sees the end of the file.
UNTERMINATED_COMMENT
    : '/*' (~'*' | '*'+ ~[*/])* '*'* -> channel(HIDDEN)
    ;

// Spaces, tabs, form feeds and all three line ends (\n, \r\n, a lone \r) separate tokens and
// mean nothing else.
WS
    : [ \t\f\r\n]+ -> skip
    ;

// Anything else is one bad character (a surrogate pair counts as one character), reported by
// the parser as "unexpected character". Being last and one character long, it never wins over
// another rule.
ERROR_CHAR
    : [\uD800-\uDBFF] [\uDC00-\uDFFF]
    | .
    ;

fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
fragment ESCAPE   : '\\' ~[\r\n] ;
