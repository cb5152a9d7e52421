package knetsim.node.script;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import knetsim.node.ipv4.Ipv4Address;

/**
 * A recursive-descent parser for script steps (the grammar is in docs/topology.md, "script"). Each step is
 * tokenized by {@link Lexer}, parsed into a typed {@link Step}, and checked against the call's
 * {@link Signatures}: arity, the kind of each argument and constant, the result's fields. {@link #parse(List)}
 * also checks that every descriptor name is bound before it is used.
 */
public final class ScriptParser {
    /** What is wrong with step {@code step} (0-based), at {@code column} (1-based; 0: the whole step). */
    public record Problem(int step, int column, String message) {}

    /** The steps of a script, or the problems that stop it from running. */
    public record Parsed(List<Step> steps, List<Problem> problems) {}

    private final List<Token> tokens;
    private int pos;

    private ScriptParser(String text) {
        this.tokens = Lexer.tokens(text);
    }

    /** Parses every step; the steps are usable only when there are no problems. */
    public static Parsed parse(List<String> texts) {
        List<Step> steps = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Set<String> bound = new HashSet<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                Step step = parseStep(texts.get(i));
                for (String v : variablesUsed(step)) {
                    if (!bound.contains(v)) {
                        throw new ScriptSyntaxException(columnOf(texts.get(i), v), "\"" + v
                                + "\" is not bound by an earlier step (write " + v + " = socket(...) before)");
                    }
                }
                if (step instanceof Step.Call c && c.assign() != null) bound.add(c.assign());
                steps.add(step);
            } catch (ScriptSyntaxException e) {
                problems.add(new Problem(i, e.column(), e.getMessage()));
            }
        }
        return new Parsed(steps, problems);
    }

    /** One step; a {@link ScriptSyntaxException} says what is wrong. */
    public static Step parseStep(String text) {
        return new ScriptParser(text).step(text.strip());
    }

    private static int columnOf(String text, String word) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + word + "\\b").matcher(text);
        return m.find() ? m.start() + 1 : 0;
    }

    private static List<String> variablesUsed(Step step) {
        List<String> used = new ArrayList<>();
        if (step instanceof Step.Call c) {
            for (Arg a : c.args()) if (a instanceof Arg.Var v) used.add(v.name());
            if (c.expected() != null) for (Arg a : c.expected().fields().values()) if (a instanceof Arg.Var v) used.add(v.name());
        }
        return used;
    }

    // step = "sleep" duration | [ name "=" ] call [ "=" result ]
    private Step step(String text) {
        if (peek().kind() == Token.Kind.END) throw new ScriptSyntaxException(0, "empty step");
        if (peek().kind() == Token.Kind.IDENT && peek().text().equals("sleep") && peek(1).kind() != Token.Kind.LPAREN) {
            next();
            Token d = next();
            if (d.kind() != Token.Kind.DURATION) throw error(d, "a duration like 200ms after sleep");
            expectEnd();
            return new Step.Sleep(durationNs(d), text);
        }
        String assign = null;
        if (peek().kind() == Token.Kind.IDENT && peek(1).kind() == Token.Kind.EQUALS) {
            Token v = next();
            assign = variable(v);
            next();
        }
        Token name = next();
        if (name.kind() != Token.Kind.IDENT) throw error(name, "a system call like socket(...)");
        List<Signatures.Signature> forms = Signatures.of(name.text());
        if (forms.isEmpty()) {
            throw new ScriptSyntaxException(name.column(), "unknown call \"" + name.text() + "\", expected one of "
                    + String.join(", ", Signatures.names()) + " or sleep");
        }
        expect(Token.Kind.LPAREN, "(");
        List<Arg> args = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        if (peek().kind() != Token.Kind.RPAREN) {
            do {
                columns.add(peek().column());
                args.add(value());
            } while (accept(Token.Kind.COMMA));
        }
        expect(Token.Kind.RPAREN, ", or )");
        Signatures.Signature sig = null;
        for (Signatures.Signature f : forms) if (f.params().size() == args.size()) sig = f;
        if (sig == null) {
            List<String> usages = new ArrayList<>();
            for (Signatures.Signature f : forms) usages.add(f.usage());
            throw new ScriptSyntaxException(name.column(), name.text() + " takes " + arities(forms) + " (" + String.join(" or ", usages)
                    + "), got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) check(sig.params().get(i), args.get(i), columns.get(i), "argument " + (i + 1) + " of " + sig.name());
        if (assign != null && !sig.returnsFd()) {
            throw new ScriptSyntaxException(1, "only socket, accept, accept4, epoll_create and epoll_create1 return a"
                    + " descriptor to name; " + sig.name() + " does not");
        }
        CallChecks.check(sig, args, columns);
        Step.Expected expected = null;
        if (accept(Token.Kind.EQUALS)) expected = expected(sig, args);
        expectEnd();
        return new Step.Call(assign, sig, List.copyOf(args), expected, text);
    }

    // result = [ "-" ] number [ errno ] [ "{" field { "," field } "}" ]
    private Step.Expected expected(Signatures.Signature sig, List<Arg> args) {
        Token start = peek();
        boolean negative = accept(Token.Kind.MINUS);
        Token n = next();
        if (n.kind() != Token.Kind.NUMBER) throw error(n, "the expected result: a number, or -1 and an errno");
        long value = number(n) * (negative ? -1 : 1);
        int errno = 0;
        if (peek().kind() == Token.Kind.IDENT) {
            Token e = next();
            Constants.Constant c = constant(e);
            if (c.kind() != Constants.Kind.ERRNO) throw new ScriptSyntaxException(e.column(), "expected an errno like EAGAIN, got " + e.text());
            if (value != -1) throw new ScriptSyntaxException(start.column(), "an errno follows only a result of -1, got " + value);
            errno = (int) c.value();
        } else if (value < -1) {
            throw new ScriptSyntaxException(start.column(), "a call returns -1 or a value >= 0, got " + value);
        }
        Map<String, Arg> fields = new LinkedHashMap<>();
        if (accept(Token.Kind.LBRACE)) {
            do {
                Token f = next();
                if (f.kind() != Token.Kind.IDENT) throw error(f, "a field name");
                expect(Token.Kind.EQUALS, "=");
                int column = peek().column();
                Arg v = value();
                Signatures.Param type = CallChecks.fieldType(sig, args, f);
                check(type, v, column, "field " + f.text());
                if (fields.put(f.text(), v) != null) throw new ScriptSyntaxException(f.column(), "field " + f.text() + " given twice");
            } while (accept(Token.Kind.COMMA));
            expect(Token.Kind.RBRACE, ", or }");
        }
        return new Step.Expected(value, errno, fields);
    }

    // value = [ "-" ] number | duration | address [ ":" port ] | string | name | constant { "|" constant }
    private Arg value() {
        Token t = next();
        switch (t.kind()) {
            case MINUS -> {
                Token n = next();
                if (n.kind() != Token.Kind.NUMBER) throw error(n, "a number after -");
                return new Arg.Num(-number(n));
            }
            case NUMBER -> {
                return new Arg.Num(number(t));
            }
            case DURATION -> {
                return new Arg.Dur(durationNs(t));
            }
            case STRING -> {
                return new Arg.Str(t.text());
            }
            case ADDRESS -> {
                Ipv4Address a;
                try {
                    a = Ipv4Address.parse(t.text());
                } catch (IllegalArgumentException e) {
                    throw new ScriptSyntaxException(t.column(), "bad address \"" + t.text() + "\"");
                }
                if (!accept(Token.Kind.COLON)) return new Arg.Addr(a, -1);
                Token p = next();
                if (p.kind() != Token.Kind.NUMBER || number(p) > 65535) throw error(p, "a port 0..65535 after " + t.text() + ":");
                return new Arg.Addr(a, (int) number(p));
            }
            case IDENT -> {
                if (!Character.isUpperCase(t.text().charAt(0))) return new Arg.Var(variable(t));
                Constants.Constant first = constant(t);
                List<String> names = new ArrayList<>(List.of(t.text()));
                long bits = first.value();
                while (accept(Token.Kind.BAR)) {
                    Token o = next();
                    if (o.kind() != Token.Kind.IDENT) throw error(o, "a constant after |");
                    Constants.Constant c = constant(o);
                    if (c.kind() != first.kind()) {
                        throw new ScriptSyntaxException(o.column(), o.text() + " cannot be or-ed with " + t.text()
                                + " (expected " + first.kind().expected + ")");
                    }
                    names.add(o.text());
                    bits |= c.value();
                }
                return new Arg.Flags(first.kind(), List.copyOf(names), bits);
            }
            default -> throw error(t, "a value (a number, an address, a constant or a descriptor name)");
        }
    }

    // does the argument fit the parameter?
    static void check(Signatures.Param p, Arg a, int column, String what) {
        boolean ok = switch (p) {
            case FD -> a instanceof Arg.Var || (a instanceof Arg.Num n && n.value() >= 0);
            case INT -> a instanceof Arg.Num;
            case ADDR -> a instanceof Arg.Addr ad && ad.port() >= 0;
            case HOST -> a instanceof Arg.Addr ad && ad.port() < 0;
            case OPTVAL -> a instanceof Arg.Num || a instanceof Arg.Str || a instanceof Arg.Flags f
                    && (f.kind() == Constants.Kind.PMTUDISC || f.kind() == Constants.Kind.ERRNO);
            case TIMEOUT -> a instanceof Arg.Dur || (a instanceof Arg.Num n && n.value() >= -1);
            case DOMAIN, TYPE, OPTION, SHUT, EPOLL_OP, FCNTL -> a instanceof Arg.Flags f && f.kind() == p.kind
                    && f.names().size() == 1;
            default -> a instanceof Arg.Num n && n.value() >= 0 || a instanceof Arg.Flags f && f.kind() == p.kind;
        };
        if (!ok) throw new ScriptSyntaxException(column, what + ": expected " + p.expected + ", got " + a);
    }

    private static String arities(List<Signatures.Signature> forms) {
        List<String> n = new ArrayList<>();
        for (Signatures.Signature f : forms) n.add(Integer.toString(f.params().size()));
        return String.join(" or ", n) + (forms.size() == 1 && forms.get(0).params().size() == 1 ? " argument" : " arguments");
    }

    private static String variable(Token t) {
        if (!t.text().matches("[a-z_][a-z0-9_]*")) {
            throw new ScriptSyntaxException(t.column(), "a descriptor name is lower case letters, digits and _, got \"" + t.text() + "\"");
        }
        if (t.text().equals("sleep")) throw new ScriptSyntaxException(t.column(), "sleep cannot name a descriptor");
        return t.text();
    }

    private static Constants.Constant constant(Token t) {
        Constants.Constant c = Constants.get(t.text());
        if (c == null) throw new ScriptSyntaxException(t.column(), "unknown constant " + t.text());
        return c;
    }

    private static long number(Token t) {
        try {
            String s = t.text();
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ScriptSyntaxException(t.column(), "number " + t.text() + " is too large");
        }
    }

    // 200ms, 1.5s, 10us, 100ns: whole nanoseconds
    static long durationNs(Token t) {
        String s = t.text();
        int unitAt = s.length() - (s.endsWith("ns") || s.endsWith("us") || s.endsWith("ms") ? 2 : 1);
        long scale = switch (s.substring(unitAt)) {
            case "ns" -> 1;
            case "us" -> 1_000;
            case "ms" -> 1_000_000;
            default -> 1_000_000_000;
        };
        BigDecimal ns = new BigDecimal(s.substring(0, unitAt)).multiply(BigDecimal.valueOf(scale));
        if (ns.stripTrailingZeros().scale() > 0) throw new ScriptSyntaxException(t.column(), "bad duration " + s + ": not a whole number of nanoseconds");
        if (ns.compareTo(BigDecimal.valueOf(365L * 24 * 3600 * 1_000_000_000L)) > 0) {
            throw new ScriptSyntaxException(t.column(), "bad duration " + s + ": more than a year");
        }
        return ns.longValueExact();
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.END) pos++;
        return t;
    }

    private boolean accept(Token.Kind kind) {
        if (peek().kind() != kind) return false;
        next();
        return true;
    }

    private void expect(Token.Kind kind, String what) {
        Token t = next();
        if (t.kind() != kind) throw error(t, what);
    }

    private void expectEnd() {
        Token t = peek();
        if (t.kind() != Token.Kind.END) throw new ScriptSyntaxException(t.column(), "unexpected " + t + " after the step");
    }

    private static ScriptSyntaxException error(Token t, String expected) {
        return new ScriptSyntaxException(t.column(), "expected " + expected + ", got " + t);
    }
}
