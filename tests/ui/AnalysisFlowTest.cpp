// The analysis workflow in the GUI end to end on a small knee phantom: open, choose the knee pipeline, run,
// inspect (overlay, thickness, tables, plots, highlight), export everything and read it back, check the PDF
// report's pages (pdftoppm), reopen the result in a fresh window, the strata-cli report, cancel, failure.
// Runs under Xvfb (see CMakeLists.txt); pictures land in build/test-output/ui/.
#include "RunWait.h"

#include <strata/ImageIO.h>
#include <strata/phantom/KneePhantom.h>
#include <strata/quant/SubregionFrame.h>
#include <strata/quant/MeshIO.h>
#include <strata/ui/MainWindow.h>
#include <strata/ui/ParameterForm.h>
#include <strata/ui/PipelinePanel.h>
#include <strata/ui/ResultTableView.h>
#include <strata/ui/RunHistoryView.h>
#include <strata/ui/ResultsPanel.h>
#include <strata/ui/RunQueue.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/View3D.h>
#include <strata/ui/ViewerState.h>
#include <strata/ui/VtkOpenGLWidget.h>

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace strata;
using namespace strata::ui;

namespace {

int colourfulPixels(const QImage& img)
{
    int n = 0;
    for (int y = 0; y < img.height(); ++y) {
        for (int x = 0; x < img.width(); ++x) {
            const QRgb c = img.pixel(x, y);
            if (std::abs(qRed(c) - qGreen(c)) > 30 || std::abs(qGreen(c) - qBlue(c)) > 30) {
                ++n;
            }
        }
    }
    return n;
}

/// Renders the PDF at 50 dpi; returns the page images (empty on failure).
QList<QImage> pdfPages(const QString& pdf, const QString& prefix)
{
    QProcess p;
    p.start(QStringLiteral("pdftoppm"), {QStringLiteral("-r"), QStringLiteral("50"), QStringLiteral("-png"), pdf, prefix});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        return {};
    }
    QList<QImage> pages;
    const QFileInfo fi(prefix);
    const QStringList files = QDir(fi.absolutePath()).entryList({fi.fileName() + QStringLiteral("-*.png")}, QDir::Files, QDir::Name);
    for (const QString& f : files) {
        pages << QImage(fi.absolutePath() + QLatin1Char('/') + f);
    }
    return pages;
}

/// Share of pixels that are not near-white.
double inkFraction(const QImage& page)
{
    const QImage g = page.convertToFormat(QImage::Format_Grayscale8);
    qint64 ink = 0;
    for (int y = 0; y < g.height(); ++y) {
        const uchar* line = g.constScanLine(y);
        for (int x = 0; x < g.width(); ++x) {
            ink += line[x] < 200 ? 1 : 0;
        }
    }
    return static_cast<double>(ink) / (g.width() * g.height());
}

} // namespace

class AnalysisFlowTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    QString outDir_;
    QString image_;
    QString bundle_;

    void prepareWindow(MainWindow& w)
    {
        w.setInteractive(false);
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.pipelinePanel()->setResultsRoot(tmp_.path() + QStringLiteral("/results"));
        w.openPaths({image_});
        QTRY_VERIFY_WITH_TIMEOUT(!w.datasets().empty() && !w.busy(), 60000);
        QVERIFY(w.pipelinePanel()->selectPipeline(QStringLiteral("knee-mri")));
    }

    RunJob::State waitForRun(MainWindow& w, int id, int timeoutMs) { return test::waitForRun(*w.runQueue(), id, timeoutMs); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        outDir_ = QStringLiteral(STRATA_TEST_OUTPUT_DIR);
        QDir().mkpath(outDir_);
        // A smaller field of view at the model's spacing (the whole knee still in it) keeps the run to ~60% of the full phantom.
        phantom::KneePhantomParams params;
        params.seed = 11;
        params.size = {208, 224, 128};
        params.maxRotationDeg = 3.0;
        params.maxTranslationMm = 2.0;
        const auto c = phantom::generateKneePhantom(params);
        const std::filesystem::path dir = std::filesystem::path(tmp_.path().toStdString()) / "knee11";
        phantom::writeKneePhantom(c, dir);
        image_ = QString::fromStdString((dir / "image.nii.gz").string());
    }

    void fullFlow()
    {
        MainWindow w;
        prepareWindow(w);
        QSignalSpy finished(w.runQueue(), &RunQueue::jobFinished);
        QTest::mouseClick(w.pipelinePanel()->runButton(), Qt::LeftButton);
        QCOMPARE(w.runQueue()->jobs().size(), std::size_t{1});
        const int id = w.runQueue()->jobs().front().id;
        // Progress reaches the GUI while it runs.
        QTRY_VERIFY_WITH_TIMEOUT(w.pipelinePanel()->progressBar()->value() > 0, 60000);
        QCOMPARE(waitForRun(w, id, 240000), RunJob::State::Succeeded);
        const RunJob* job = w.runQueue()->job(id);
        bundle_ = job->bundleDir;
        QVERIFY2(QFileInfo::exists(bundle_ + QStringLiteral("/provenance.json")), qPrintable(bundle_));
        QTRY_VERIFY_WITH_TIMEOUT(w.resultsPanel()->hasResult() && !w.busy(), 120000);

        // Overlay, thickness, meshes.
        const auto ds = w.state()->dataset();
        QVERIFY(ds && ds->labels && ds->thickness && ds->result);
        QCOMPARE(ds->labels.get(), ds->result->segmentation.get());
        SliceView* sagittal = w.sliceView(ViewPlane::Sagittal);
        QVERIFY(colourfulPixels(sagittal->sliceImage()) > 200);
        QCOMPARE(w.view3D()->thicknessMeshCount(), 4);
        w.state()->setThicknessVisible(true);
        QVERIFY(colourfulPixels(sagittal->sliceImage()) > 50);

        // Tables and plots.
        const auto& tables = w.resultsPanel()->tables();
        QVERIFY(tables.size() >= 2);
        QCOMPARE(tables[0]->objectName(), QStringLiteral("table_plates"));
        QCOMPARE(tables[0]->rowCount(), 4);
        QVERIFY(tables[0]->selectionText().startsWith(QStringLiteral("Plate\t")));
        QVERIFY(w.resultsPanel()->histogramView()->chart()->series().size() >= 3);
        QVERIFY(!w.resultsPanel()->regionView()->chart()->series().isEmpty());
        // Sorting by mean thickness keeps the rows numeric-sorted.
        tables[0]->sortByColumn(3, Qt::DescendingOrder);
        QVERIFY(tables[0]->item(0, 3)->data(Qt::UserRole).toDouble() >= tables[0]->item(3, 3)->data(Qt::UserRole).toDouble());

        // Clicking a plate highlights it: only that label stays visible.
        const QRect cell = tables[0]->visualItemRect(tables[0]->item(0, 0));
        w.resultsPanel()->tabs()->setCurrentWidget(tables[0]);
        QTest::mouseClick(tables[0]->viewport(), Qt::LeftButton, {}, cell.center());
        int visible = 0;
        for (int i = 1; i < 256; ++i) {
            visible += w.state()->labelVisible(i) ? 1 : 0;
        }
        QCOMPARE(visible, 1);
        // Clicking a subregion row puts the cursor on that plate's cartilage inside the subregion.
        ResultTableView* regions = nullptr;
        for (ResultTableView* t : tables) {
            if (t->objectName() == QStringLiteral("table_subregions")) {
                regions = t;
            }
        }
        QVERIFY(regions != nullptr);
        w.resultsPanel()->tabs()->setCurrentWidget(regions);
        const auto frame = quant::SubregionFrame::fromMetrics(ds->result->metrics);
        QVERIFY(frame.has_value());
        for (int row = 0; row < regions->rowCount(); ++row) {
            const QString key = regions->item(row, 0)->data(Qt::UserRole + 2).toString();
            if (key != QStringLiteral("ecMF") && key != QStringLiteral("aMT") && key != QStringLiteral("pLT")) {
                continue;
            }
            QTest::mouseClick(regions->viewport(), Qt::LeftButton, {}, regions->visualItemRect(regions->item(row, 0)).center());
            const int plate = w.state()->cursorLabel();
            QCOMPARE(QString::fromStdString(frame->regionAt(w.state()->cursorWorld(), plate)), key);
            QCOMPARE(ds->labels->table().find(plate)->name,
                     std::string(key.endsWith(QStringLiteral("MF")) ? "femoral_cartilage" : key.endsWith(QStringLiteral("MT")) ? "medial_tibial_cartilage" : "lateral_tibial_cartilage"));
        }
        w.highlightLabel(0);
        QVERIFY(w.state()->labelVisible(1));

        // The results view as a user sees it.
        QTest::qWait(300);
        QVERIFY(w.saveScreenshot(outDir_ + QStringLiteral("/analysis_results.png")));

        // Export everything and read it back.
        const QString exportDir = tmp_.path() + QStringLiteral("/export");
        QVERIFY2(w.exportAll(exportDir), qPrintable(w.lastError()));
        const auto e = [&](const char* f) { return std::filesystem::path((exportDir + QLatin1Char('/') + QLatin1String(f)).toStdString()); };
        const LabelMap seg = readLabelMap(e("segmentation.nrrd"));
        QCOMPARE(seg.image().size(), ds->labels->image().size());
        QCOMPARE(seg.voxelCounts(), ds->labels->voxelCounts());
        QCOMPARE(readLabelMap(e("segmentation.nii.gz")).voxelCounts(), ds->labels->voxelCounts());
        QCOMPARE(readImage(e("thickness.nrrd")).size(), ds->thickness->size());
        QCOMPARE(readImage(e("thickness.nii.gz")).pixelType(), PixelType::Float32);
        QVERIFY(!quant::readStl(e("meshes/femoral_cartilage.stl")).empty());
        const auto ply = quant::readPly(e("meshes/femoral_cartilage.ply"));
        QCOMPARE(ply.scalars.size(), ply.vertices.size());
        QVERIFY(QFileInfo(exportDir + QStringLiteral("/meshes/femur.vtp")).size() > 1000);
        QFile csv(exportDir + QStringLiteral("/tables/plates.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 5);
        QFile json(exportDir + QStringLiteral("/tables/subregions.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        QVERIFY(json.readAll().contains("\"ThCtAB (mm)\""));
        QFile html(exportDir + QStringLiteral("/report.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QByteArray htmlText = html.readAll();
        QVERIFY(htmlText.contains("<h1>Knee MRI cartilage analysis</h1>"));
        QVERIFY(htmlText.count("data:image/png;base64,") >= 5);

        // The PDF: several A4 pages, none blank.
        const QList<QImage> pages = pdfPages(exportDir + QStringLiteral("/report.pdf"), tmp_.path() + QStringLiteral("/page"));
        QVERIFY2(pages.size() >= 3, qPrintable(QStringLiteral("%1 pages").arg(pages.size())));
        for (int i = 0; i < pages.size(); ++i) {
            const double ratio = static_cast<double>(pages[i].height()) / pages[i].width();
            QVERIFY(std::abs(ratio - 297.0 / 210.0) < 0.02);
            QVERIFY2(inkFraction(pages[i]) > 0.01, qPrintable(QStringLiteral("page %1 is blank").arg(i + 1)));
        }
        QVERIFY(colourfulPixels(pages[0]) > 500); // the slice pictures and the 3D view
        QFile::remove(outDir_ + QStringLiteral("/report_page1.png"));
        QFile::remove(outDir_ + QStringLiteral("/report.pdf"));
        QFile::copy(exportDir + QStringLiteral("/report.pdf"), outDir_ + QStringLiteral("/report.pdf"));
        pages[0].save(outDir_ + QStringLiteral("/report_page1.png"));
    }

    void reopenResult()
    {
        QVERIFY(!bundle_.isEmpty());
        MainWindow w;
        w.setInteractive(false);
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openResult(bundle_);
        QTRY_VERIFY_WITH_TIMEOUT(w.resultsPanel()->hasResult() && !w.busy(), 120000);
        QCOMPARE(w.datasets().size(), std::size_t{1});
        const auto ds = w.state()->dataset();
        QVERIFY(ds->labels && ds->thickness);
        QCOMPARE(QString::fromStdString(ds->path.string()), image_);
        QCOMPARE(w.view3D()->thicknessMeshCount(), 4);
        QVERIFY(w.resultsPanel()->tables().size() >= 2);
    }

    void cliReport()
    {
        QVERIFY(!bundle_.isEmpty());
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        p.setProcessEnvironment(env);
        const QString pdf = tmp_.path() + QStringLiteral("/cli.pdf"), html = tmp_.path() + QStringLiteral("/cli.html");
        p.start(QStringLiteral(STRATA_CLI_PATH), {QStringLiteral("report"), bundle_, QStringLiteral("--pdf"), pdf, QStringLiteral("--html"), html});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QList<QImage> pages = pdfPages(pdf, tmp_.path() + QStringLiteral("/clipage"));
        QVERIFY(pages.size() >= 3);
        for (const QImage& page : pages) {
            QVERIFY(inkFraction(page) > 0.01);
        }
        QVERIFY(QFileInfo(html).size() > 10000);
    }

    void cancelRun()
    {
        MainWindow w;
        prepareWindow(w);
        const int id = w.runPipeline();
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(w.runQueue()->job(id)->stage.startsWith(QStringLiteral("Segmenting")), 60000);
        QTest::qWait(300);
        QElapsedTimer t;
        t.start();
        QTest::mouseClick(w.pipelinePanel()->cancelButton(), Qt::LeftButton);
        QCOMPARE(waitForRun(w, id, 10000), RunJob::State::Cancelled);
        // The pipeline stops within about a second on an idle 2-core machine; allow for a loaded CI box.
        qInfo("cancel took %lld ms", static_cast<long long>(t.elapsed()));
        QVERIFY2(t.elapsed() < 5000, qPrintable(QStringLiteral("cancel took %1 ms").arg(t.elapsed())));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(w.runQueue()->job(id)->request.outputDir.string())));
        QTRY_VERIFY_WITH_TIMEOUT(!w.busy(), 10000);
        QVERIFY(!w.resultsPanel()->hasResult());
    }

    void failingRun()
    {
        MainWindow w;
        prepareWindow(w);
        QSignalSpy errors(&w, &MainWindow::errorOccurred);
        auto* model = qobject_cast<QLineEdit*>(w.pipelinePanel()->parameterForm()->editor(QStringLiteral("model")));
        QVERIFY(model);
        // The phantom's labels.nii.gz (loaded as its overlay) is offered as a given segmentation, and left at the
        // model's: the request has only the scan.
        auto* labels = w.pipelinePanel()->findChild<QComboBox*>(QStringLiteral("optionalInput_labels"));
        QVERIFY(labels);
        QCOMPARE(labels->currentIndex(), 0);
        const int overlay = labels->findData(QFileInfo(image_).absolutePath() + QStringLiteral("/labels.nii.gz"));
        QVERIFY2(overlay > 0, qPrintable(labels->itemText(1)));
        model->setText(QStringLiteral("/nonexistent/knee-model"));
        const int id = w.runPipeline();
        QVERIFY(!w.runQueue()->job(id)->request.inputs.count("labels"));
        QCOMPARE(w.runQueue()->job(id)->request.inputs.size(), std::size_t{1});
        QCOMPARE(waitForRun(w, id, 60000), RunJob::State::Failed);
        QTRY_VERIFY(errors.size() == 1);
        QVERIFY2(w.lastError().contains(QStringLiteral("nonexistent")), qPrintable(w.lastError()));
        QVERIFY(w.pipelinePanel()->history()->item(0, 4)->text().startsWith(QStringLiteral("failed")));
        // The window is still usable: cursor moves, a second run can be queued and cancelled.
        w.state()->setCursor({10, 10, 10});
        QCOMPARE(w.state()->cursor()[0], 10);
        model->setText(QStringLiteral("knee"));
        const int again = w.runPipeline();
        QVERIFY(again > id);
        w.runQueue()->cancel(again);
        QCOMPARE(waitForRun(w, again, 10000), RunJob::State::Cancelled);
    }
};

int main(int argc, char** argv)
{
    VtkOpenGLWidget::setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("StrataUiTest"));
    QStandardPaths::setTestModeEnabled(true);
    AnalysisFlowTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "AnalysisFlowTest.moc"
