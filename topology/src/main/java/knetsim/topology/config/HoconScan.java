package knetsim.topology.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pass over HOCON text before Typesafe Config parses it, for what its recursive parser cannot report well:
 * nesting deeper than {@link #MAX_DEPTH} (which would overflow the parser's stack) and include statements whose
 * file is missing (reported at the include's own line). It tracks only strings, comments, substitutions,
 * brackets and include statements; everything else is left to the parser.
 */
final class HoconScan {
    /** Objects and lists nested deeper than this are refused; a topology needs about 6. */
    static final int MAX_DEPTH = 64;
    /** Include statements nested deeper than this (a.conf includes b.conf includes ...) are refused. */
    static final int MAX_INCLUDE_DEPTH = 16;

    /** One include statement: its line, the form (plain, file, classpath, url) and the name in quotes. */
    record Include(int line, String form, String name) {}

    /**
     * What was found: the line where nesting first went past the limit (0 if never), includes, the depth at each,
     * and the lines of numbers that are not whole but that the parser would round to one ({@link #roundedToWhole}).
     */
    record Result(int tooDeepAt, List<Include> includes, List<Integer> depthAt, List<Rounded> roundedAt) {}

    /** A number as written, and its line. */
    record Rounded(int line, String text) {}

    private HoconScan() {
    }

    /** Scans {@code text} starting at nesting {@code depth}. */
    static Result scan(String text, int depth) {
        int line = 1;
        int tooDeep = 0;
        boolean keyStart = true; // at the start of a field, where "include" is a statement rather than a value
        List<Include> includes = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        List<Rounded> rounded = new ArrayList<>();
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                keyStart = true;
            } else if (c == '#' || c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i + 1 < n && text.charAt(i + 1) != '\n') i++;
            } else if (c == '"') {
                int end = stringEnd(text, i);
                for (int j = i; j < end; j++) if (text.charAt(j) == '\n') line++;
                i = end - 1;
                keyStart = false;
            } else if (c == '$' && i + 1 < n && text.charAt(i + 1) == '{') {
                while (i + 1 < n && text.charAt(i + 1) != '}' && text.charAt(i + 1) != '\n') i++;
                if (i + 1 < n && text.charAt(i + 1) == '}') i++;
                keyStart = false;
            } else if (c == '{' || c == '[') {
                depth++;
                if (depth > MAX_DEPTH && tooDeep == 0) tooDeep = line;
                keyStart = true;
            } else if (c == '}' || c == ']') {
                depth--;
                keyStart = false;
            } else if (c == ',') {
                keyStart = true;
            } else if (c == '=' || c == ':' || c == '+') {
                keyStart = false;
            } else if (!Character.isWhitespace(c)) {
                if (keyStart && text.startsWith("include", i) && (i + 7 == n || isSpace(text.charAt(i + 7)))) {
                    Include inc = include(text, i + 7, line);
                    if (inc != null) {
                        includes.add(inc);
                        depths.add(depth);
                    }
                }
                int end = i;
                while (end < n && DELIMITERS.indexOf(text.charAt(end)) < 0 && !Character.isWhitespace(text.charAt(end))
                        && !text.startsWith("//", end)) {
                    end++;
                }
                if (end > i && roundedToWhole(text.substring(i, end))) rounded.add(new Rounded(line, text.substring(i, end)));
                i = Math.max(i, end - 1);
                keyStart = false;
            }
        }
        return new Result(tooDeep, includes, depths, rounded);
    }

    static String roundedMessage(String text) {
        return text + " is not a whole number, but has more digits than a double holds and would be read as "
                + (long) Double.parseDouble(text) + "; write it with at most 15 significant digits";
    }

    private static final String DELIMITERS = ",{}[]:=\"#$+";
    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    /**
     * A number the parser reads as a double that is a whole number although the text is not, such as
     * 1.0000000000000000001: Typesafe Config then hands it on as the integer 1, and a check for an integer passes.
     */
    static boolean roundedToWhole(String token) {
        if (!NUMBER.matcher(token).matches() || token.indexOf('.') < 0 && token.indexOf('e') < 0
                && token.indexOf('E') < 0) {
            return false;
        }
        try {
            double d = Double.parseDouble(token);
            java.math.BigDecimal exact = new java.math.BigDecimal(token);
            return !Double.isInfinite(d) && d == Math.rint(d) && exact.stripTrailingZeros().scale() > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Index just past the string that starts at {@code i} ("..." with escapes, or """...""" without). */
    private static int stringEnd(String text, int i) {
        int n = text.length();
        if (text.startsWith("\"\"\"", i)) {
            int end = text.indexOf("\"\"\"", i + 3);
            if (end < 0) return n;
            end += 3;
            while (end < n && text.charAt(end) == '"') end++; // """ may end with extra quotes
            return end;
        }
        for (int j = i + 1; j < n; j++) {
            char c = text.charAt(j);
            if (c == '\\') j++;
            else if (c == '"' || c == '\n') return j + 1;
        }
        return n;
    }

    /** Reads what follows "include": "name", file("name"), classpath("name"), url("name"), each maybe in required(). */
    private static Include include(String text, int i, int line) {
        String rest = text.substring(i, Math.min(text.length(), i + 4096)).stripLeading();
        String form = "plain";
        if (rest.startsWith("required(")) rest = rest.substring(9).stripLeading();
        for (String f : List.of("file", "classpath", "url")) {
            if (rest.startsWith(f + "(")) {
                form = f;
                rest = rest.substring(f.length() + 1).stripLeading();
            }
        }
        if (!rest.startsWith("\"")) return null;
        int end = rest.indexOf('"', 1);
        return end < 0 ? null : new Include(line, form, rest.substring(1, end));
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '(' || c == '"';
    }

    /**
     * Scans a file and, recursively, the files it includes, adding a problem for nesting past the limit and for
     * each include that names no file. Returns false when it found a problem, so the parser is not run.
     */
    static boolean check(Path file, Problems problems) {
        return check(file, 0, 0, problems);
    }

    private static boolean check(Path file, int depth, int includeDepth, Problems problems) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return true; // the parser reports an unreadable file
        }
        Result r = scan(text, depth);
        boolean ok = true;
        if (r.tooDeepAt() > 0) {
            problems.add(new ConfigProblem(file.toString(), r.tooDeepAt(), "", "objects and lists nested more than "
                    + MAX_DEPTH + " deep; a topology needs far fewer levels"));
            ok = false;
        }
        for (Rounded x : r.roundedAt()) {
            problems.add(new ConfigProblem(file.toString(), x.line(), "", roundedMessage(x.text())));
            ok = false;
        }
        for (int k = 0; k < r.includes().size(); k++) {
            Include inc = r.includes().get(k);
            String where = file.toString();
            if (inc.form().equals("url")) {
                problems.add(new ConfigProblem(where, inc.line(), "", "include url(\"" + inc.name()
                        + "\") is not read: a topology is made of local files only"));
                ok = false;
                continue;
            }
            if (inc.form().equals("classpath")) continue; // resources of the jar itself
            Path target = found(file, inc.name());
            if (target == null) {
                problems.add(new ConfigProblem(where, inc.line(), "", "include \"" + inc.name() + "\" not found"
                        + " (looked in " + dir(file) + ")"));
                ok = false;
            } else if (includeDepth + 1 > MAX_INCLUDE_DEPTH) {
                problems.add(new ConfigProblem(where, inc.line(), "", "includes nested more than "
                        + MAX_INCLUDE_DEPTH + " deep (does a file include itself?)"));
                return false;
            } else {
                ok &= check(target, r.depthAt().get(k), includeDepth + 1, problems);
            }
        }
        return ok;
    }

    private static Path dir(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /** The file an include names, relative to the including file; without an extension .conf, .json, .properties. */
    private static Path found(Path including, String name) {
        Path p = dir(including).resolve(name);
        if (Files.isRegularFile(p)) return p;
        if (!name.contains(".")) {
            for (String ext : List.of(".conf", ".json", ".properties")) {
                Path q = dir(including).resolve(name + ext);
                if (Files.isRegularFile(q)) return q;
            }
        }
        return null;
    }
}
