package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code torch.einsum}: Einstein summation over labelled dims, as a composite of diagonal (where + sum),
 * sum, permute, expand and batched matmul, so it differentiates and runs on every device. Supports
 * explicit ({@code "bij,bjk->bik"}) and implicit ({@code "ik,jk"}: the labels seen once, in alphabetical
 * order) outputs, repeated labels in one operand (traces and diagonals, {@code "ii->"}, {@code "ii->i"}),
 * {@code "..."} with broadcasting, and any number of operands (contracted left to right, two at a time).
 */
public final class Einsum {
    private Einsum() {}

    /** Labels of the dims "..." stands for; letters are their own char codes. */
    private static final int ELLIPSIS = 1000;

    private record Term(Tensor t, List<Integer> labels) {}

    /**
     * The einsum of {@code operands} by {@code equation}.
     *
     * @throws IllegalArgumentException naming the operand for a malformed equation or mismatched dims
     */
    public static Tensor einsum(String equation, List<Tensor> operands) {
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] terms = lhs.split(",", -1);
        if (terms.length != operands.size()) {
            throw new IllegalArgumentException("einsum(): " + terms.length + " operands in the equation '" + equation + "' but "
                    + operands.size() + " tensors were given");
        }
        int ell = 0;
        int[] ellOf = new int[terms.length];
        for (int i = 0; i < terms.length; i++) {
            int letters = terms[i].replace("...", "").length();
            int e = operands.get(i).dim() - letters;
            boolean has = terms[i].contains("...");
            if (e < 0 || (!has && e != 0)) {
                throw new IllegalArgumentException("einsum(): the number of subscripts in the equation (" + letters
                        + ") does not match the number of dimensions (" + operands.get(i).dim() + ") for operand " + i
                        + (has ? "" : " and no ellipsis was given"));
            }
            ellOf[i] = e;
            ell = Math.max(ell, e);
        }
        List<Term> work = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) work.add(new Term(operands.get(i), parse(terms[i], ellOf[i], ell, equation)));
        List<Integer> out = arrow < 0 ? implicitOutput(work, ell) : parse(eq.substring(arrow + 2), ell, ell, equation);
        checkOutput(out, work, equation);
        for (int i = 0; i < work.size(); i++) work.set(i, diagonals(work.get(i)));
        Term acc = sumUnused(work.get(0), out, work.subList(1, work.size()));
        for (int i = 1; i < work.size(); i++) {
            List<Term> rest = work.subList(i + 1, work.size());
            List<Term> others = new ArrayList<>(rest);
            others.add(acc); // a label shared with the accumulated operand is contracted, not summed alone
            acc = contract(acc, sumUnused(work.get(i), out, others), out, rest);
        }
        return permuteTo(acc, out);
    }

    private static List<Integer> parse(String term, int e, int ell, String equation) {
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (term.startsWith("...", i)) {
                for (int j = ell - e; j < ell; j++) labels.add(ELLIPSIS + j);
                i += 2;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                labels.add((int) c);
            } else {
                throw new IllegalArgumentException("einsum(): invalid subscript '" + c + "' in equation '" + equation
                        + "' (subscripts must be letters a-z, A-Z or '...')");
            }
        }
        return labels;
    }

    /** The ellipsis dims, then the letters that occur exactly once, sorted. */
    private static List<Integer> implicitOutput(List<Term> terms, int ell) {
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < ell; j++) out.add(ELLIPSIS + j);
        TreeSet<Integer> once = new TreeSet<>();
        for (Term t : terms) {
            for (int l : t.labels()) {
                if (l >= ELLIPSIS) continue;
                if (count(terms, l) == 1) once.add(l);
            }
        }
        out.addAll(once);
        return out;
    }

    private static int count(List<Term> terms, int label) {
        int n = 0;
        for (Term t : terms) for (int l : t.labels()) if (l == label) n++;
        return n;
    }

    private static void checkOutput(List<Integer> out, List<Term> terms, String equation) {
        for (int i = 0; i < out.size(); i++) {
            int l = out.get(i);
            if (out.lastIndexOf(l) != i) throw new IllegalArgumentException("einsum(): output subscript " + name(l) + " appears more than once in '" + equation + "'");
            if (count(terms, l) == 0 && l < ELLIPSIS) {
                throw new IllegalArgumentException("einsum(): output subscript " + name(l) + " does not appear in the equation for any input operand ('" + equation + "')");
            }
        }
    }

    private static String name(int label) { return label >= ELLIPSIS ? "..." : String.valueOf((char) label); }

    /** Repeated labels in one operand: keep the diagonal of each pair ({@code where(eye, x, 0).sum(second)}). */
    private static Term diagonals(Term term) {
        Tensor t = term.t();
        List<Integer> labels = new ArrayList<>(term.labels());
        for (int p = 0; p < labels.size(); p++) {
            for (int q = labels.size() - 1; q > p; q--) {
                if (!labels.get(q).equals(labels.get(p))) continue;
                long n = t.size(p);
                if (t.size(q) != n) {
                    throw new IllegalArgumentException("einsum(): subscript " + name(labels.get(p)) + " is repeated for an operand but the sizes don't match, "
                            + n + " != " + t.size(q));
                }
                long[] shape = new long[t.dim()];
                java.util.Arrays.fill(shape, 1);
                shape[p] = n;
                shape[q] = n;
                Tensor eye = Movement.toDevice(Creation.eye(n, n, DType.BOOL), t.device()).reshape(shape);
                t = Comparison.where(eye, t, Creation.full(new long[0], 0, t.dtype(), t.device())).sum(q);
                labels.remove(q);
            }
        }
        return new Term(t, labels);
    }

    /** Sums the dims whose label neither the output nor a later operand needs. */
    private static Term sumUnused(Term term, List<Integer> out, List<Term> rest) {
        Tensor t = term.t();
        List<Integer> labels = new ArrayList<>(term.labels());
        for (int d = labels.size() - 1; d >= 0; d--) {
            int l = labels.get(d);
            if (!out.contains(l) && count(rest, l) == 0) {
                t = t.sum(d);
                labels.remove(d);
            }
        }
        return new Term(t, labels);
    }

    /**
     * a (x) b as one batched matmul: dims in both and still needed are batch dims, dims in both and no
     * longer needed are contracted, the others are a's rows and b's columns. Size-1 dims broadcast.
     */
    private static Term contract(Term a, Term b, List<Integer> out, List<Term> rest) {
        List<Integer> batch = new ArrayList<>(), sum = new ArrayList<>(), aOnly = new ArrayList<>(), bOnly = new ArrayList<>();
        for (int l : a.labels()) {
            if (!b.labels().contains(l)) aOnly.add(l);
            else if (out.contains(l) || count(rest, l) > 0) batch.add(l);
            else sum.add(l);
        }
        for (int l : b.labels()) if (!a.labels().contains(l)) bOnly.add(l);
        List<Long> sizes = new ArrayList<>();
        for (int l : batch) sizes.add(Math.max(size(a, l), size(b, l)));
        long bs = product(batch, a, b), m = product(aOnly, a, b), k = product(sum, a, b), n = product(bOnly, a, b);
        Tensor am = arrange(a, batch, aOnly, sum, b).reshape(bs, m, k);
        Tensor bm = arrange(b, batch, sum, bOnly, a).reshape(bs, k, n);
        Tensor r = am.matmul(bm);
        List<Integer> labels = new ArrayList<>(batch);
        labels.addAll(aOnly);
        labels.addAll(bOnly);
        long[] shape = new long[labels.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = i < batch.size() ? sizes.get(i) : Math.max(size(a, labels.get(i)), size(b, labels.get(i)));
        return new Term(r.reshape(shape), labels);
    }

    private static long size(Term t, int label) {
        int d = t.labels().indexOf(label);
        return d < 0 ? 1 : t.t().size(d);
    }

    private static long product(List<Integer> labels, Term a, Term b) {
        long p = 1;
        for (int l : labels) p *= Math.max(size(a, l), size(b, l));
        return p;
    }

    /** t permuted to the labels of g1, g2, g3 in order and expanded to the larger of its and other's sizes. */
    private static Tensor arrange(Term t, List<Integer> g1, List<Integer> g2, List<Integer> g3, Term other) {
        List<Integer> order = new ArrayList<>(g1);
        order.addAll(g2);
        order.addAll(g3);
        int[] perm = new int[order.size()];
        long[] shape = new long[order.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = t.labels().indexOf(order.get(i));
            shape[i] = Math.max(size(t, order.get(i)), size(other, order.get(i)));
        }
        return t.t().permute(perm).expand(shape);
    }

    private static Tensor permuteTo(Term t, List<Integer> out) {
        int[] perm = new int[out.size()];
        for (int i = 0; i < perm.length; i++) perm[i] = t.labels().indexOf(out.get(i));
        Tensor r = t.t().permute(perm);
        return r.contiguous();
    }
}
