package org.oncobench.study;

import org.oncobench.stats.Shuffles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import org.oncobench.config.StudyConfig;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trials of a study: every cell of the grid (its keys crossed, the last key changing fastest) times
 * {@code trials} random draws. Trial {@code i}'s parameters are a pure function of the study seed and {@code i}, so a
 * resumed study draws exactly what the killed one would have. Continuous draws keep four significant digits.
 */
public final class SearchSpace {
    private final StudyConfig config;
    private final int cells;
    private final Map<Integer, List<Map<String, JsonNode>>> cellDraws = new java.util.HashMap<>();

    public SearchSpace(StudyConfig config) {
        this.config = config;
        int c = 1;
        for (List<JsonNode> values : config.grid().values()) {
            c = Math.multiplyExact(c, values.size());
        }
        this.cells = c;
    }

    /** How many trials the study has: grid cells x random draws per cell. */
    public int size() {
        return Math.multiplyExact(cells, config.random().isEmpty() ? 1 : config.trials());
    }

    public int gridCells() {
        return cells;
    }

    /** Trial {@code index}'s parameters, grid keys first, then random keys, in the study file's order. */
    public Map<String, JsonNode> params(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("trial " + index + " of " + size());
        }
        int draws = config.random().isEmpty() ? 1 : config.trials();
        int cell = index / draws;
        Map<String, JsonNode> out = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(config.grid().keySet());
        int[] digits = new int[keys.size()];
        for (int k = keys.size() - 1; k >= 0; k--) {
            int n = config.grid().get(keys.get(k)).size();
            digits[k] = cell % n;
            cell /= n;
        }
        for (int k = 0; k < keys.size(); k++) {
            out.put(keys.get(k), config.grid().get(keys.get(k)).get(digits[k]));
        }
        if (config.random().isEmpty()) {
            return out;
        }
        return drawsOfCell(index / draws, out).get(index % draws);
    }

    /**
     * The random draws of one grid cell, without repeats: a draw that equals an earlier one of the cell is drawn again
     * (a repeated configuration would train the same network twice). Still a pure function of the seed and the cell.
     */
    private synchronized List<Map<String, JsonNode>> drawsOfCell(int cell, Map<String, JsonNode> gridPart) {
        List<Map<String, JsonNode>> cached = cellDraws.get(cell);
        if (cached != null) {
            return cached;
        }
        int draws = config.trials();
        List<Map<String, JsonNode>> out = new ArrayList<>();
        Set<Map<String, JsonNode>> seenHere = new HashSet<>();
        long distinct = config.distinctDraws();
        for (int i = 0; i < draws; i++) {
            Map<String, JsonNode> p = null;
            for (int attempt = 0; attempt < 1000; attempt++) {
                SplittableRandom rng = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + (long) cell * draws + i + attempt * 0x632BE59BD9B4E019L);
                Map<String, JsonNode> candidate = new LinkedHashMap<>(gridPart);
                config.random().forEach((key, d) -> candidate.put(key, draw(d, rng.nextDouble())));
                p = candidate;
                if (seenHere.size() >= distinct || seenHere.add(candidate)) {
                    break;
                }
            }
            out.add(p);
        }
        cellDraws.put(cell, out);
        return out;
    }


    /** One value of a distribution for a uniform {@code u} in [0, 1). */
    static JsonNode draw(StudyConfig.Distribution d, double u) {
        return switch (d.kind()) {
            case "choice" -> d.choices().get(Math.min(d.choices().size() - 1, (int) (u * d.choices().size())));
            case "int" -> LongNode.valueOf(Math.min((long) d.high(), (long) d.low() + (long) Math.floor(u * (d.high() - d.low() + 1))));
            case "log_uniform" -> DoubleNode.valueOf(round(Math.exp(Math.log(d.low()) + u * (Math.log(d.high()) - Math.log(d.low())))));
            default -> DoubleNode.valueOf(round(d.low() + u * (d.high() - d.low())));
        };
    }

    private static double round(double x) {
        return new BigDecimal(x).round(new MathContext(4)).doubleValue();
    }

    /**
     * The order trials start in: natural for a full search; for successive halving a seeded shuffle, so the first
     * rung mixes the grid's cells (e.g. model kinds) instead of filling with the first cell's trials.
     */
    public int[] order(boolean shuffle) {
        int[] order = java.util.stream.IntStream.range(0, size()).toArray();
        if (shuffle) {
            Shuffles.shuffle(order, new SplittableRandom(config.seed() ^ 0x5DEECE66DL)::nextInt);
        }
        return order;
    }
}
