package dev.jtensor.demo;

import dev.jtensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of the demos (XChart, headless). */
final class Charts {
    private Charts() {}

    /** Data as red dots and the model's predictions as a blue line, as the tutorial's matplotlib plot. */
    static Path fittedLine(Path file, Tensor x, Tensor y, Tensor predicted) throws IOException {
        double[] xs = x.toDoubleArray(), ys = y.toDoubleArray(), ps = predicted.toDoubleArray();
        Integer[] order = IntStream.range(0, xs.length).boxed().sorted(Comparator.comparingDouble(i -> xs[i])).toArray(Integer[]::new);
        double[] lx = Arrays.stream(order).mapToDouble(i -> xs[i]).toArray(), ly = Arrays.stream(order).mapToDouble(i -> ps[i]).toArray();
        XYChart chart = new XYChartBuilder().width(800).height(600).title("Linear regression").xAxisTitle("X").yAxisTitle("Y").build();
        XYSeries data = chart.addSeries("Original data", xs, ys);
        data.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        data.setMarkerColor(java.awt.Color.RED);
        XYSeries line = chart.addSeries("Fitted line", lx, ly);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(java.awt.Color.BLUE);
        return save(chart, file);
    }

    /** Loss per epoch, on a log scale (it falls from ~150 to ~0.8: a linear axis hides everything after epoch 3). */
    static Path lossCurve(Path file, double[] losses) throws IOException {
        double[] epochs = IntStream.rangeClosed(1, losses.length).asDoubleStream().toArray();
        XYChart chart = new XYChartBuilder().width(800).height(600).title("Training loss").xAxisTitle("epoch")
                .yAxisTitle("MSE loss (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.addSeries("loss", epochs, losses).setMarker(SeriesMarkers.NONE);
        return save(chart, file);
    }

    private static Path save(XYChart chart, Path file) throws IOException {
        String name = file.toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }
}
