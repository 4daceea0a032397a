// Viewer benchmark (Qt, needs an X server: run under xvfb-run).
//   strata_ui_bench [--runs N] FILE...
// For each FILE: (1) time from launching the `strata` process to its first rendered slice image (printed by
// `strata --timing`) and to the finished screenshot, (2) slice scrolling frames/s in-process: one slice view
// alone, and all three slice views plus the 3D view (slice-plane textures re-uploaded and re-rendered), (3) a
// brush stroke (issue 20): one stamp of a 3 mm brush per mouse move, the three slice views repainted after each.
#include <strata/ImageIO.h>
#include <strata/phantom/KneeLabels.h>
#include <strata/ui/LabelEditSession.h>
#include <strata/ui/MainWindow.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/View3D.h>
#include <strata/ui/ViewerState.h>
#include <strata/ui/VtkOpenGLWidget.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <cstdio>
#include <vector>

using namespace strata::ui;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

void launchTimes(const QString& file, int runs)
{
    std::vector<double> first, total;
    for (int i = 0; i < runs; ++i) {
        QProcess p;
        QElapsedTimer t;
        t.start();
        p.start(QStringLiteral(STRATA_APP_PATH),
                {QStringLiteral("--timing"), QStringLiteral("--no-surfaces"), QStringLiteral("--screenshot"),
                 QStringLiteral("/tmp/strata_ui_bench.png"), file});
        double firstMs = -1;
        while (p.state() != QProcess::NotRunning || p.canReadLine()) {
            if (!p.canReadLine()) {
                p.waitForReadyRead(50);
                continue;
            }
            const QString line = QString::fromUtf8(p.readLine());
            if (firstMs < 0 && line.contains(QStringLiteral("first image"))) {
                firstMs = t.elapsed();
            }
        }
        p.waitForFinished();
        first.push_back(firstMs);
        total.push_back(static_cast<double>(t.elapsed()));
    }
    std::printf("%-40s launch -> first image: %7.0f ms   launch -> screenshot written: %7.0f ms  (median of %d)\n",
                qPrintable(QFileInfo(file).fileName()), median(first), median(total), runs);
}

void scrollFps(const QString& file)
{
    MainWindow w;
    w.setInteractive(false);
    w.setAutoSurfaces(false);
    w.resize(1280, 900);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) {
        return;
    }
    w.openPaths({file});
    QElapsedTimer load;
    load.start();
    while ((w.datasets().empty() || w.busy()) && load.elapsed() < 120000) {
        QTest::qWait(10);
    }
    SliceView* axial = w.sliceView(ViewPlane::Axial);
    const int frames = 200;
    // One view: state change -> slice QImage recomputed -> QPainter blit.
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < frames; ++i) {
        axial->scrollSlices((i / 40) % 2 ? -1 : 1);
        axial->repaint();
    }
    const double oneView = frames * 1000.0 / std::max<qint64>(t.elapsed(), 1);
    // Everything that follows the cursor: three slice views and the 3D view (textures + GL render + readback).
    const int frames3d = 40;
    t.restart();
    for (int i = 0; i < frames3d; ++i) {
        axial->scrollSlices((i / 10) % 2 ? -1 : 1);
        for (ViewPlane p : kViewPlanes) {
            w.sliceView(p)->repaint();
        }
        w.view3D()->grabImage();
    }
    const double allViews = frames3d * 1000.0 / std::max<qint64>(t.elapsed(), 1);
    std::printf("%-40s scroll: %6.1f frames/s (axial view)   %6.1f frames/s (3 slice views + 3D)\n",
                qPrintable(QFileInfo(file).fileName()), oneView, allViews);
}

/// Brush stroke frames/s on FILE (labels from labels.nii.gz beside it, else an empty map): each frame is one
/// mouse move of a 3 mm disc brush (LabelEditSession::continueStroke) and a synchronous repaint of the three slice
/// views that show the labels; the baseline in the same run is one slice step with the same three repaints.
void brushFps(const QString& file)
{
    auto ds = std::make_shared<Dataset>();
    ds->name = QFileInfo(file).fileName().toStdString();
    ds->image = std::make_shared<const strata::Image>(strata::readImage(file.toStdString()));
    const QString labelsFile = QFileInfo(file).dir().filePath(QStringLiteral("labels.nii.gz"));
    ds->labels = QFileInfo::exists(labelsFile)
                     ? std::make_shared<const strata::LabelMap>(strata::readLabelMap(labelsFile.toStdString()))
                     : std::make_shared<const strata::LabelMap>(strata::LabelMap::like(*ds->image, strata::phantom::kneeLabelTable()));
    const auto mm = ds->image->minMax();
    ds->minValue = mm[0];
    ds->maxValue = ds->p99 = mm[1];
    ViewerState state;
    LabelEditSession session(&state);
    QWidget host;
    host.resize(1200, 420);
    std::vector<std::unique_ptr<SliceView>> views;
    int x = 0;
    for (ViewPlane p : kViewPlanes) {
        views.push_back(std::make_unique<SliceView>(p, &state, &host));
        views.back()->setEditSession(&session);
        views.back()->setGeometry(x, 0, 400, 400);
        x += 400;
    }
    host.show();
    if (!QTest::qWaitForWindowExposed(&host)) return;
    state.setDataset(ds);
    const auto size = ds->image->size();
    const auto centre = ViewerState::Index{static_cast<int>(size[0] / 2), static_cast<int>(size[1] / 2), static_cast<int>(size[2] / 2)};
    state.setCursor(centre);
    const auto repaintAll = [&] {
        for (auto& v : views) v->repaint();
    };
    const int frames = 120;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < frames; ++i) {
        views[0]->scrollSlices((i / 30) % 2 ? -1 : 1);
        repaintAll();
    }
    const double scroll = frames * 1000.0 / std::max<qint64>(t.elapsed(), 1);
    state.setCursor(centre);
    session.setTool(EditTool::Brush);
    session.setActiveLabel(strata::phantom::FemoralCartilage);
    session.setBrushRadiusMm(3.0);
    const int axis = views[0]->mapping().sliceAxis();
    const auto at = [&](int i) {
        const double a = i * 0.05, r = 0.25 * static_cast<double>(std::min(size[0], size[1]));
        strata::Vec3 v{static_cast<double>(centre[0]), static_cast<double>(centre[1]), static_cast<double>(centre[2])};
        const int u = axis == 0 ? 1 : 0, w = axis == 2 ? 1 : 2;
        v[static_cast<std::size_t>(u)] += r * std::cos(a);
        v[static_cast<std::size_t>(w)] += r * std::sin(a);
        return v;
    };
    t.restart();
    session.beginStroke(at(0), axis);
    repaintAll();
    for (int i = 1; i < frames; ++i) {
        session.continueStroke(at(i));
        repaintAll();
    }
    session.endStroke();
    const double brush = frames * 1000.0 / std::max<qint64>(t.elapsed(), 1);
    std::printf("%-40s brush stroke: %6.1f frames/s (3 mm disc, 3 slice views repainted per mouse move; target >= 30)"
                "   slice step, same 3 views: %6.1f frames/s   ratio %.2f\n",
                qPrintable(QFileInfo(file).fileName()), brush, scroll, brush / scroll);
}

} // namespace

int main(int argc, char** argv)
{
    VtkOpenGLWidget::setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("StrataBench"));
    QStringList files = app.arguments().mid(1);
    int runs = 3;
    if (files.size() >= 2 && files[0] == QLatin1String("--runs")) {
        runs = std::max(1, files[1].toInt());
        files = files.mid(2);
    }
    if (files.isEmpty()) {
        std::fprintf(stderr, "usage: strata_ui_bench [--runs N] FILE...\n");
        return 2;
    }
    for (const QString& f : files) {
        launchTimes(f, runs);
    }
    for (const QString& f : files) {
        scrollFps(f);
    }
    for (const QString& f : files) {
        brushFps(f);
    }
    return 0;
}
