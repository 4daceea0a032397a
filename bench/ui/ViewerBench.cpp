// Viewer benchmark (Qt, needs an X server: run under xvfb-run).
//   strata_ui_bench [--runs N] FILE...
// For each FILE: (1) time from launching the `strata` process to its first rendered slice image (printed by
// `strata --timing`) and to the finished screenshot, (2) slice scrolling frames/s in-process: one slice view
// alone, and all three slice views plus the 3D view (slice-plane textures re-uploaded and re-rendered).
#include <strata/ui/MainWindow.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/View3D.h>
#include <strata/ui/ViewerState.h>
#include <strata/ui/VtkOpenGLWidget.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>
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
    return 0;
}
