package io.r8limiter.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Checks a process' log: one ECS JSON object a line, levels the logger wrote, no forged content above DEBUG. */
final class LogLines {

    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    private LogLines() {}

    /** Problems found in {@code lines}: a line that is not one JSON object, an unknown level, or a forged mark. */
    static List<String> problems(List<String> lines, String mark) {
        List<String> problems = new ArrayList<>();
        for (String line : lines) {
            String problem = problem(line, mark);
            if (problem != null) {
                problems.add(problem + ": " + abbreviate(line));
            }
        }
        return problems;
    }

    /** The lines logged at {@code level}. */
    static List<String> atLevel(List<String> lines, String level) {
        return lines.stream().filter(l -> level.equals(level(l))).toList();
    }

    private static String problem(String line, String mark) {
        JsonNode node;
        try {
            node = Http.JSON.readTree(line);
        } catch (RuntimeException e) {
            return "not JSON";
        }
        if (node == null || !node.isObject()) {
            return "not a JSON object";
        }
        String level = node.path("log").path("level").asString("");
        if (!LEVELS.contains(level)) {
            return "no valid log.level";
        }
        if (!level.equals("DEBUG") && !level.equals("TRACE") && line.contains(mark)) {
            return "client input logged at " + level;
        }
        return null;
    }

    private static String level(String line) {
        try {
            return Http.JSON.readTree(line).path("log").path("level").asString("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 400 ? line.substring(0, 400) + "..." : line;
    }
}
