// GUI and render tests of the workstation viewer (strata_ui). Runs under Xvfb (see CMakeLists.txt).
#include <strata/ImageIO.h>
#include <strata/phantom/KneePhantom.h>
#include <strata/ui/DataPanel.h>
#include <strata/ui/DisplayPanel.h>
#include <strata/ui/LabelPanel.h>
#include <strata/ui/MainWindow.h>
#include <strata/ui/SliceMapping.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/View3D.h>
#include <strata/ui/ViewLayout.h>
#include <strata/ui/ViewerState.h>
#include <strata/ui/VtkOpenGLWidget.h>
#include <strata/ui/WindowLevelPreset.h>

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QMouseEvent>
#include <QSet>
#include <QSlider>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest/QtTest>

#include <cmath>
#include <filesystem>

using namespace strata;
using namespace strata::ui;

namespace {

const QString kBrain = QStringLiteral("/usr/share/mricron/templates/ch2.nii.gz");

struct RegionStats {
    int distinctColours{0};
    double lumaStdDev{0};
};

/// Compares a view's pixels with a stored baseline (grey, scaled to 160 x 120) within a tolerance; writes the
/// baseline when STRATA_UPDATE_BASELINES=1 and a diff image next to the screenshots when it differs.
QString compareWithBaseline(const QImage& shot, const QRect& region, const QString& name, const QString& outDir)
{
    const QImage view = shot.copy(region).convertToFormat(QImage::Format_Grayscale8)
                            .scaled(160, 120, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const QString path = QStringLiteral(STRATA_UI_BASELINE_DIR "/") + name + QStringLiteral(".png");
    if (qEnvironmentVariable("STRATA_UPDATE_BASELINES") == QStringLiteral("1")) {
        view.save(path);
    }
    QImage base(path);
    if (base.isNull()) {
        return QStringLiteral("missing baseline ") + path + QStringLiteral(" (run with STRATA_UPDATE_BASELINES=1)");
    }
    base = base.convertToFormat(QImage::Format_Grayscale8);
    if (base.size() != view.size()) {
        return QStringLiteral("baseline size differs");
    }
    QImage diff(view.size(), QImage::Format_Grayscale8);
    double total = 0;
    for (int y = 0; y < view.height(); ++y) {
        for (int x = 0; x < view.width(); ++x) {
            const int d = std::abs(qGray(view.pixel(x, y)) - qGray(base.pixel(x, y)));
            total += d;
            diff.setPixel(x, y, qRgb(d * 4 > 255 ? 255 : d * 4, 0, 0));
        }
    }
    const double mean = total / (view.width() * view.height());
    if (mean > 6.0) {
        diff.save(outDir + QStringLiteral("/") + name + QStringLiteral("_diff.png"));
        return QStringLiteral("%1 differs from its baseline: mean |difference| %2 grey levels").arg(name).arg(mean);
    }
    return {};
}

RegionStats regionStats(const QImage& img, const QRect& r)
{
    QSet<QRgb> colours;
    double sum = 0, sum2 = 0;
    int n = 0;
    for (int y = r.top(); y <= r.bottom(); y += 2) {
        for (int x = r.left(); x <= r.right(); x += 2) {
            const QRgb c = img.pixel(x, y);
            colours.insert(c & 0xffffff);
            const double l = qGray(c);
            sum += l;
            sum2 += l * l;
            ++n;
        }
    }
    const double mean = sum / std::max(n, 1);
    return {static_cast<int>(colours.size()), std::sqrt(std::max(0.0, sum2 / std::max(n, 1) - mean * mean))};
}

/// Centroid of the pixels of exactly `colour` (±tolerance) inside r; {-1,-1} when none.
QPointF colourCentroid(const QImage& img, const QRect& r, QRgb colour, int* count = nullptr, int tol = 8)
{
    double sx = 0, sy = 0;
    int n = 0;
    for (int y = r.top(); y <= r.bottom(); ++y) {
        for (int x = r.left(); x <= r.right(); ++x) {
            const QRgb c = img.pixel(x, y);
            if (std::abs(qRed(c) - qRed(colour)) <= tol && std::abs(qGreen(c) - qGreen(colour)) <= tol &&
                std::abs(qBlue(c) - qBlue(colour)) <= tol) {
                sx += x;
                sy += y;
                ++n;
            }
        }
    }
    if (count) {
        *count = n;
    }
    return n ? QPointF(sx / n, sy / n) : QPointF(-1, -1);
}

QRect regionOf(QWidget* w, QWidget* window) { return QRect(w->mapTo(window, QPoint(0, 0)), w->size()); }

} // namespace

class ViewerTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    QString phantomImage_;
    QString outDir_;

    void waitLoaded(MainWindow& w, std::size_t datasets)
    {
        QTRY_VERIFY_WITH_TIMEOUT(w.datasets().size() >= datasets && !w.busy(), 180000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        outDir_ = QStringLiteral(STRATA_TEST_OUTPUT_DIR);
        QDir().mkpath(outDir_);
        phantom::KneePhantomParams params;
        params.seed = 3;
        const auto c = phantom::generateKneePhantom(params);
        phantom::writeKneePhantom(c, std::filesystem::path(tmp_.path().toStdString()) / "ph3");
        phantomImage_ = tmp_.path() + QStringLiteral("/ph3/image.nii.gz");
        QVERIFY(QFile::exists(phantomImage_));
    }

    void sliceMappingFollowsDirection()
    {
        // The knee phantom is a sagittal acquisition: i -> posterior, j -> inferior, k -> right.
        Image img(Size3{40, 30, 20}, PixelType::UInt8);
        img.setSpacing({0.4, 0.5, 0.7});
        img.setDirection({0, 0, -1, 1, 0, 0, 0, -1, 0});
        const auto ax = SliceMapping::compute(img, ViewPlane::Axial);
        const auto co = SliceMapping::compute(img, ViewPlane::Coronal);
        const auto sa = SliceMapping::compute(img, ViewPlane::Sagittal);
        QCOMPARE(sa.sliceAxis(), 2);
        QCOMPARE(ax.sliceAxis(), 1);
        QCOMPARE(co.sliceAxis(), 0);
        QCOMPARE(sa.horizontalAxis(), 0); // anterior left, posterior right: i runs posterior, no flip
        QVERIFY(!sa.flipHorizontal());
        QCOMPARE(sa.verticalAxis(), 1); // superior up: j runs inferior = screen down, no flip
        QVERIFY(!sa.flipVertical());
        QCOMPARE(sa.pixelWidthMm(), 0.4);
        QCOMPARE(sa.pixelHeightMm(), 0.5);
        QCOMPARE(ax.horizontalAxis(), 2); // patient right on screen left: k runs right, so flipped
        QVERIFY(ax.flipHorizontal());

        // Identity (LPS): coronal and sagittal need the superior axis flipped to point up.
        Image id(Size3{10, 10, 10}, PixelType::UInt8);
        const auto idCo = SliceMapping::compute(id, ViewPlane::Coronal);
        QCOMPARE(idCo.sliceAxis(), 1);
        QVERIFY(idCo.flipVertical());
        QVERIFY(!SliceMapping::compute(id, ViewPlane::Axial).flipVertical());

        // Oblique (25 degrees about z): still the closest axes, always a permutation.
        const double a = 25.0 * M_PI / 180.0;
        id.setDirection({std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a), 0, 0, 0, 1});
        const auto ob = SliceMapping::compute(id, ViewPlane::Axial);
        QCOMPARE(ob.sliceAxis(), 2);
        QCOMPARE(ob.horizontalAxis(), 0);
        QCOMPARE(ob.verticalAxis(), 1);

        // Round trip pixel <-> index.
        const Vec3 idx = ax.indexOf(5, 7, 3);
        const auto uv = ax.pixelOf(idx);
        QCOMPARE(uv[0], 5.0);
        QCOMPARE(uv[1], 7.0);
    }

    void openPhantomMoveCursorWindowLevelOverlay()
    {
        MainWindow w;
        w.setInteractive(false);
        w.setAnalysisPanelsVisible(false); // the viewer's own layout (baselines were taken without them)
        w.resize(1280, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openPaths({phantomImage_});
        waitLoaded(w, 1);
        ViewerState* st = w.state();
        QVERIFY(st->dataset());
        QVERIFY2(st->dataset()->labels, "labels.nii.gz beside image.nii.gz is loaded as overlay");
        QCOMPARE(st->cursor(), (ViewerState::Index{128, 128, 80}));
        QCOMPARE(w.dataPanel()->table()->rowCount(), 1);
        QVERIFY(w.view3D()->surfaceCount() >= 10);

        // Click in the axial view: cursor moves in-plane, keeps the axial slice (index axis 1).
        SliceView* axial = w.sliceView(ViewPlane::Axial);
        const ViewerState::Index target{100, 128, 60};
        QTest::mouseClick(axial, Qt::LeftButton, Qt::NoModifier, axial->widgetPosOfIndex(target).toPoint());
        QCOMPARE(st->cursor(), target);
        // Every view follows: the sagittal view now shows slice k = 60.
        QCOMPARE(w.sliceView(ViewPlane::Sagittal)->slice(), 60);

        // Page Up in the sagittal view scrolls one slice along k.
        SliceView* sag = w.sliceView(ViewPlane::Sagittal);
        sag->setFocus();
        QTest::keyClick(sag, Qt::Key_PageUp);
        QCOMPARE(std::abs(st->cursor()[2] - 60), 1);
        QTest::keyClick(sag, Qt::Key_PageDown);
        QCOMPARE(st->cursor()[2], 60);

        // Window/level by right-drag: right = wider window, up = higher level.
        const WindowLevel before = st->windowLevel();
        const QPointF p0(axial->width() / 2.0, axial->height() / 2.0);
        auto send = [&](QEvent::Type type, QPointF pos, Qt::MouseButton b, Qt::MouseButtons bs) {
            QMouseEvent e(type, pos, axial->mapToGlobal(pos), b, bs, Qt::NoModifier);
            QApplication::sendEvent(axial, &e);
        };
        send(QEvent::MouseButtonPress, p0, Qt::RightButton, Qt::RightButton);
        send(QEvent::MouseMove, p0 + QPointF(60, -30), Qt::NoButton, Qt::RightButton);
        send(QEvent::MouseButtonRelease, p0 + QPointF(60, -30), Qt::RightButton, Qt::NoButton);
        QVERIFY(st->windowLevel().window > before.window);
        QVERIFY(st->windowLevel().level > before.level);
        QCOMPARE(st->cursor(), target); // right-drag does not move the cursor

        // Window/level by the spin boxes and presets.
        w.displayPanel()->windowSpin()->setValue(500.0);
        QCOMPARE(st->windowLevel().window, 500.0);
        const auto& presets = WindowLevelPreset::all();
        for (int i = 0; i < static_cast<int>(presets.size()); ++i) {
            if (presets[static_cast<std::size_t>(i)].name == "CT bone (2000/500)") {
                w.displayPanel()->applyPreset(i);
            }
        }
        QCOMPARE(st->windowLevel(), (WindowLevel{2000.0, 500.0}));
        w.displayPanel()->applyPreset(0); // auto 1-99%
        QCOMPARE(st->windowLevel().low(), st->dataset()->p1);
        QCOMPARE(w.displayPanel()->levelSpin()->value(), st->windowLevel().level);

        // Overlay: untick femur in the legend -> hidden in the state and in the rendered sagittal slice.
        st->setCursor({128, 128, 80});
        w.labelPanel()->opacitySlider()->setValue(100);
        QCOMPARE(st->overlayOpacity(), 1.0);
        auto countRed = [&] {
            int n = 0;
            colourCentroid(sag->sliceImage(), sag->sliceImage().rect(), qRgb(255, 0, 0), &n, 0);
            return n;
        };
        const int redBefore = countRed();
        QVERIFY(redBefore > 1000);
        QTreeWidgetItem* femur = nullptr;
        for (int i = 0; i < w.labelPanel()->labelList()->topLevelItemCount(); ++i) {
            auto* item = w.labelPanel()->labelList()->topLevelItem(i);
            if (item->data(0, Qt::UserRole).toInt() == 1) {
                femur = item;
            }
        }
        QVERIFY(femur);
        QCOMPARE(femur->text(0), QStringLiteral("femur"));
        femur->setCheckState(0, Qt::Unchecked);
        QVERIFY(!st->labelVisible(1));
        QVERIFY(st->labelVisible(2));
        QCOMPARE(countRed(), 0);
        femur->setCheckState(0, Qt::Checked);
        QVERIFY(st->labelVisible(1));
        QCOMPARE(countRed(), redBefore);
        w.labelPanel()->overlayCheckBox()->setChecked(false);
        QVERIFY(!st->overlayVisible());
        QCOMPARE(countRed(), 0);

        // Zoom and reset.
        QWheelEvent wheel(QPointF(50, 50), axial->mapToGlobal(QPointF(50, 50)), QPoint(), QPoint(0, 120), Qt::NoButton,
                          Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(axial, &wheel);
        QVERIFY(axial->zoom() > 1.0);
        axial->setFocus();
        QTest::keyClick(axial, Qt::Key_R);
        QCOMPARE(axial->zoom(), 1.0);

        // Maximise toggle by double-click.
        QTest::mouseDClick(axial, Qt::LeftButton, Qt::NoModifier, QPoint(10, 10));
        QCOMPARE(w.viewLayout()->maximised(), 0);
        QTest::mouseDClick(axial, Qt::LeftButton, Qt::NoModifier, QPoint(10, 10));
        QCOMPARE(w.viewLayout()->maximised(), -1);
    }

    void renderPhantomScreenshots()
    {
        MainWindow w;
        w.setInteractive(false);
        w.setAnalysisPanelsVisible(false); // the viewer's own layout (baselines were taken without them)
        w.resize(1280, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openPaths({phantomImage_});
        waitLoaded(w, 1);
        QTest::qWait(100);
        QImage shot = w.grabScreenshot();
        QVERIFY(shot.save(outDir_ + QStringLiteral("/phantom_2x2.png")));
        for (QWidget* v : {static_cast<QWidget*>(w.sliceView(ViewPlane::Axial)), static_cast<QWidget*>(w.sliceView(ViewPlane::Coronal)),
                           static_cast<QWidget*>(w.sliceView(ViewPlane::Sagittal)), static_cast<QWidget*>(w.view3D())}) {
            const RegionStats s = regionStats(shot, regionOf(v, &w));
            QVERIFY2(s.distinctColours > 100, qPrintable(v->objectName() + QStringLiteral(": %1 colours").arg(s.distinctColours)));
            QVERIFY2(s.lumaStdDev > 10, qPrintable(v->objectName() + QStringLiteral(": stddev %1").arg(s.lumaStdDev)));
        }

        // Only femur (red), tibia (green), patella (blue) at full opacity: check the anatomy's layout on screen.
        ViewerState* st = w.state();
        st->setAllLabelsVisible(false);
        st->setLabelVisible(1, true);
        st->setLabelVisible(2, true);
        st->setLabelVisible(3, true);
        st->setOverlayOpacity(1.0);
        QTest::qWait(100);
        shot = w.grabScreenshot();
        QVERIFY(shot.save(outDir_ + QStringLiteral("/phantom_bones.png")));
        const QRect sagR = regionOf(w.sliceView(ViewPlane::Sagittal), &w);
        int nf = 0, nt = 0, np = 0;
        const QPointF femur = colourCentroid(shot, sagR, qRgb(255, 0, 0), &nf);
        const QPointF tibia = colourCentroid(shot, sagR, qRgb(0, 255, 0), &nt);
        const QPointF patella = colourCentroid(shot, sagR, qRgb(0, 0, 255), &np);
        QVERIFY2(nf > 500 && nt > 500, "femur and tibia visible in the sagittal view");
        QVERIFY2(femur.y() < tibia.y(), "sagittal: femur above tibia");
        if (np > 50) {
            QVERIFY2(patella.x() < femur.x(), "sagittal: patella anterior (left) of the femur");
        }
        const QRect corR = regionOf(w.sliceView(ViewPlane::Coronal), &w);
        QVERIFY2(colourCentroid(shot, corR, qRgb(255, 0, 0)).y() < colourCentroid(shot, corR, qRgb(0, 255, 0)).y(),
                 "coronal: femur above tibia");
        // The 3D view shows the coloured surfaces (lit, so not exact colours: check red and green dominate somewhere).
        const QRect r3 = regionOf(w.view3D(), &w);
        int reddish = 0, greenish = 0;
        for (int y = r3.top(); y <= r3.bottom(); y += 2) {
            for (int x = r3.left(); x <= r3.right(); x += 2) {
                const QRgb c = shot.pixel(x, y);
                reddish += qRed(c) > 120 && qRed(c) > 2 * qGreen(c) && qRed(c) > 2 * qBlue(c);
                greenish += qGreen(c) > 120 && qGreen(c) > 2 * qRed(c) && qGreen(c) > 2 * qBlue(c);
            }
        }
        QVERIFY2(reddish > 200 && greenish > 200, qPrintable(QStringLiteral("3D surfaces: red %1 green %2").arg(reddish).arg(greenish)));

        // The 3D-only layout.
        w.setLayoutByName(QStringLiteral("3d"));
        QTest::qWait(100);
        shot = w.grabScreenshot();
        QVERIFY(shot.save(outDir_ + QStringLiteral("/phantom_3d.png")));
        QVERIFY(w.view3D()->width() > 800);
        QVERIFY(regionStats(shot, regionOf(w.view3D(), &w)).distinctColours > 100);
    }

    void renderBrainScreenshots()
    {
        if (!QFile::exists(kBrain)) {
            QSKIP("mricron-data (Colin27) is not installed");
        }
        MainWindow w;
        w.setInteractive(false);
        w.setAnalysisPanelsVisible(false); // the viewer's own layout (baselines were taken without them)
        w.resize(1280, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openPaths({kBrain});
        waitLoaded(w, 1);
        QCOMPARE(w.state()->dataset()->image->size(), (Size3{181, 217, 181}));
        QImage shot = w.grabScreenshot();
        QVERIFY(shot.save(outDir_ + QStringLiteral("/brain_2x2.png")));
        for (const auto& [name, plane] : {std::pair{QStringLiteral("axial"), ViewPlane::Axial},
                                          std::pair{QStringLiteral("coronal"), ViewPlane::Coronal},
                                          std::pair{QStringLiteral("sagittal"), ViewPlane::Sagittal}}) {
            w.setLayoutByName(name);
            QTest::qWait(100);
            shot = w.grabScreenshot();
            QVERIFY(shot.save(outDir_ + QStringLiteral("/brain_%1.png").arg(name)));
            const QRect r = regionOf(w.sliceView(plane), &w);
            const RegionStats s = regionStats(shot, r);
            QVERIFY2(s.distinctColours > 50 && s.lumaStdDev > 20, qPrintable(name + QStringLiteral(" view is blank")));
            const QString mismatch = compareWithBaseline(shot, r, QStringLiteral("brain_") + name, outDir_);
            QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
            // The head: bounding box of bright pixels, centred in the view.
            int x0 = r.right(), x1 = r.left(), y0 = r.bottom(), y1 = r.top();
            for (int y = r.top() + 20; y <= r.bottom() - 20; ++y) {
                for (int x = r.left() + 20; x <= r.right() - 20; ++x) {
                    if (qGray(shot.pixel(x, y)) > 60) {
                        x0 = std::min(x0, x);
                        x1 = std::max(x1, x);
                        y0 = std::min(y0, y);
                        y1 = std::max(y1, y);
                    }
                }
            }
            QVERIFY(x1 > x0 && y1 > y0);
            const QPointF c((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            QVERIFY2(std::abs(c.x() - r.center().x()) < 0.1 * r.width(), qPrintable(name + QStringLiteral(": head not centred horizontally")));
            QVERIFY2(std::abs(c.y() - r.center().y()) < 0.1 * r.height(), qPrintable(name + QStringLiteral(": head not centred vertically")));
            if (plane == ViewPlane::Axial) {
                QVERIFY2(y1 - y0 > x1 - x0, "axial: the head is longer front-to-back (vertical) than wide");
            }
            if (plane == ViewPlane::Sagittal) {
                QVERIFY2(x1 - x0 > 0.8 * (y1 - y0), "sagittal: the head is about as long front-to-back as it is high");
            }
        }
    }

    void errorsAreReportedAndTheAppKeepsRunning()
    {
        MainWindow w;
        w.setInteractive(false);
        w.setAnalysisPanelsVisible(false); // the viewer's own layout (baselines were taken without them)
        w.show();
        QSignalSpy errors(&w, &MainWindow::errorOccurred);
        w.openPaths({QStringLiteral("/no/such/file.nii.gz")});
        QCOMPARE(errors.count(), 1);
        QVERIFY(w.lastError().contains(QStringLiteral("does not exist")));
        const QString bad = tmp_.path() + QStringLiteral("/bad.nii.gz");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a NIfTI file");
        f.close();
        w.openPaths({bad});
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 2, 30000);
        QVERIFY(w.lastError().contains(QStringLiteral("bad.nii.gz")));
        QVERIFY(w.datasets().empty());
        QVERIFY(!w.busy());
        // Still usable afterwards.
        w.openPaths({phantomImage_});
        waitLoaded(w, 1);
        QCOMPARE(w.datasets().size(), std::size_t{1});
    }

    void severalDatasetsAndCancel()
    {
        MainWindow w;
        w.setInteractive(false);
        w.setAnalysisPanelsVisible(false); // the viewer's own layout (baselines were taken without them)
        w.setAutoSurfaces(false);
        w.show();
        w.openPaths({phantomImage_, phantomImage_});
        waitLoaded(w, 2);
        QCOMPARE(w.dataPanel()->table()->rowCount(), 2);
        QCOMPARE(w.currentDatasetIndex(), 1);
        w.setCurrentDataset(0);
        QCOMPARE(w.state()->dataset(), w.datasets()[0]);
        w.closeDataset(0);
        QCOMPARE(w.datasets().size(), std::size_t{1});
        QCOMPARE(w.state()->dataset(), w.datasets()[0]);

        // Cancel a running load: nothing is added, the window stays responsive.
        w.openPaths({phantomImage_});
        QVERIFY(w.busy());
        w.cancelWork();
        QTRY_VERIFY_WITH_TIMEOUT(!w.busy(), 60000);
        QCOMPARE(w.datasets().size(), std::size_t{1});
    }
};

int main(int argc, char** argv)
{
    VtkOpenGLWidget::setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("StrataUiTest"));
    QStandardPaths::setTestModeEnabled(true);
    ViewerTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "ViewerTest.moc"
