package io.r8limiter.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One node's view of a Redis Cluster, parsed from {@code CLUSTER NODES}: which node (by port) owns which slot
 * ranges. Transient migration markers ({@code [slot->-id]}) are ignored, so a slot belongs to its owner until
 * {@code CLUSTER SETSLOT NODE} moves it.
 */
record ClusterView(List<Node> nodes) {

    /** One line of {@code CLUSTER NODES}. */
    record Node(String id, int port, boolean master, boolean failing, String masterId, List<int[]> slots) {

        boolean owns(int slot) {
            return slots.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
        }
    }

    static ClusterView parse(String clusterNodes) {
        List<Node> nodes = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(parseLine(line.trim()));
            }
        }
        return new ClusterView(List.copyOf(nodes));
    }

    private static Node parseLine(String line) {
        // <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent> <pong-recv> <epoch> <link> <slot> ...
        String[] fields = line.split(" ");
        String address = fields[1];
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
        String flags = fields[2];
        List<int[]> slots = new ArrayList<>();
        for (int i = 8; i < fields.length; i++) {
            if (!fields[i].startsWith("[")) {
                slots.add(parseRange(fields[i]));
            }
        }
        boolean failing = flags.contains("fail") || flags.contains("noaddr") || flags.contains("handshake");
        return new Node(fields[0], port, flags.contains("master"), failing, fields[3], List.copyOf(slots));
    }

    private static int[] parseRange(String range) {
        int dash = range.indexOf('-');
        if (dash < 0) {
            int slot = Integer.parseInt(range);
            return new int[] {slot, slot};
        }
        return new int[] {Integer.parseInt(range.substring(0, dash)), Integer.parseInt(range.substring(dash + 1))};
    }

    Optional<Node> ownerOf(int slot) {
        return nodes.stream().filter(node -> node.master() && node.owns(slot)).findFirst();
    }

    Optional<Node> byPort(int port) {
        return nodes.stream().filter(node -> node.port() == port).findFirst();
    }

    /** A canonical text of who owns which slots and who replicates whom, equal on nodes that agree. */
    String assignment() {
        TreeMap<String, String> lines = new TreeMap<>();
        for (Node node : nodes) {
            StringBuilder text = new StringBuilder(node.master() ? "master" : "replica-of " + node.masterId());
            node.slots()
                    .forEach(range ->
                            text.append(' ').append(range[0]).append('-').append(range[1]));
            lines.put(node.id(), text.toString());
        }
        return lines.toString();
    }
}
