// Batch analyses in the workstation: OCR of a folder of page images and classification of a folder of images,
// chosen with the input's "..." (not opened as datasets), run from the pipeline panel, shown in the results
// panel: OCR pages with hoverable word boxes, a sortable/filterable classification gallery with thumbnails.
#include "RunWait.h"

#include <strata/ui/BeforeAfterView.h>
#include <strata/ui/ClassifyGallery.h>
#include <strata/ui/MainWindow.h>
#include <strata/ui/OcrResultView.h>
#include <strata/ui/ParameterForm.h>
#include <strata/ui/PipelinePanel.h>
#include <strata/ui/ResultsPanel.h>
#include <strata/ui/RunHistoryStore.h>
#include <strata/ui/RunHistoryView.h>
#include <strata/ui/RunQueue.h>
#include <strata/ui/ShortcutHelp.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/ViewLayout.h>
#include <strata/ui/VtkOpenGLWidget.h>

#include <nlohmann/json.hpp>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGraphicsPixmapItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QLineEdit>
#include <QTabWidget>
#include <QPainter>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;
using namespace strata::ui;

namespace {

void writePage(const QString& path, const QStringList& lines)
{
    QImage page(1400, 120 + 90 * static_cast<int>(lines.size()), QImage::Format_Grayscale8);
    page.fill(Qt::white);
    QPainter p(&page);
    p.setPen(Qt::black);
    p.setFont(QFont(QStringLiteral("DejaVu Serif"), 36));
    for (int i = 0; i < lines.size(); ++i) {
        p.drawText(60, 110 + 90 * i, lines[i]);
    }
    p.end();
    QVERIFY(page.save(path));
}

} // namespace

class BatchResultsTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    int lastRun_{-1};

    RunJob::State run(MainWindow& w, const QString& pipeline, const QString& input)
    {
        w.pipelinePanel()->setResultsRoot(tmp_.path() + QStringLiteral("/results"));
        if (!w.pipelinePanel()->selectPipeline(pipeline)) {
            return RunJob::State::Failed;
        }
        w.pipelinePanel()->addExtraInput(input);
        lastRun_ = w.runPipeline();
        return test::waitForRun(*w.runQueue(), lastRun_, 180000);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void shortcutHelpListsTheWindowsActions()
    {
        MainWindow w;
        w.setInteractive(false);
        const QString html = ShortcutHelp::html(&w);
        for (const char* expected : {"Run pipeline", "Ctrl+R", "Open result", "Ctrl+Shift+O", "Thickness", "Esc", "Middle drag"}) {
            QVERIFY2(html.contains(QString::fromLatin1(expected)), expected);
        }
    }

    void interactiveWindowRestoresTheRunHistory()
    {
        const QString file =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/run-history.json");
        RunJob old;
        old.id = 1;
        old.request.pipeline = "ocr";
        old.pipelineTitle = QStringLiteral("Document OCR");
        old.inputName = QStringLiteral("scans-from-yesterday");
        old.state = RunJob::State::Succeeded;
        old.bundleDir = tmp_.path() + QStringLiteral("/gone");
        QVERIFY(RunHistoryStore(file).save({old}));
        {
            MainWindow w; // interactive: reads the history once the event loop runs
            QTRY_COMPARE(w.runQueue()->jobs().size(), std::size_t{1});
            QCOMPARE(w.pipelinePanel()->history()->item(0, 2)->text(), QStringLiteral("scans-from-yesterday"));
        }
        {
            MainWindow w;
            w.setInteractive(false); // scripted and test windows neither read nor write it
            QTest::qWait(50);
            QVERIFY(w.runQueue()->jobs().empty());
        }
        QVERIFY(QFile::remove(file));
    }

    void ocrFolderShowsPagesWithHoverableWords()
    {
        const QString in = tmp_.path() + QStringLiteral("/pages");
        QVERIFY(QDir().mkpath(in));
        writePage(in + QStringLiteral("/01.png"), {QStringLiteral("Quarterly cartilage report"), QStringLiteral("Strata reads every page")});
        writePage(in + QStringLiteral("/02.png"), {QStringLiteral("Second page of the batch")});
        MainWindow w;
        w.setInteractive(false);
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(run(w, QStringLiteral("ocr"), in), RunJob::State::Succeeded);
        QTRY_VERIFY_WITH_TIMEOUT(w.resultsPanel()->hasResult() && !w.busy(), 60000);
        QVERIFY(w.datasets().empty()); // a folder is not a dataset: the result stands alone
        OcrResultView* ocr = w.resultsPanel()->ocrView();
        QVERIFY(ocr);
        QCOMPARE(ocr->pageCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(ocr->boxCount() >= 6, 30000);

        // Hovering the box of a word recorded in ocr.json names that word.
        const QString bundle = QString::fromStdString(w.runQueue()->job(lastRun_)->request.outputDir.string());
        const auto doc = nlohmann::json::parse(std::ifstream((bundle + QStringLiteral("/ocr.json")).toStdString()));
        const auto& word = doc["pages"][0]["lines"][1]["words"][0];
        QCOMPARE(QString::fromStdString(word["text"].get<std::string>()), QStringLiteral("Strata"));
        const auto& b = word["box"];
        const QPointF centre(b[0].get<double>() + b[2].get<double>() / 2, b[1].get<double>() + b[3].get<double>() / 2);
        QCOMPARE(ocr->wordAt(centre), QStringLiteral("Strata"));
        QVERIFY(ocr->wordAt(QPointF(5, 5)).isEmpty());

        QSignalSpy shown(ocr, &OcrResultView::pageShown);
        ocr->showPage(1);
        QVERIFY(shown.wait(30000));
        QCOMPARE(shown.last().at(1).toBool(), true);
        QTRY_VERIFY(ocr->boxCount() >= 4);
        QVERIFY(w.grab().save(QStringLiteral(STRATA_TEST_OUTPUT_DIR "/ocr_pages.png")));
    }

    void ocrPageWhoseInputIsGoneShowsTheReducedOverlayAtPageSize()
    {
        // The bundle's overlay is the page reduced (here 3200 x 2400 -> 1600 x 1200); with the run's input gone
        // the view shows it scaled back to the page, so the boxes from ocr.json land on their words.
        const QString bundle = tmp_.path() + QStringLiteral("/reduced-overlay");
        QVERIFY(QDir().mkpath(bundle + QStringLiteral("/overlays")));
        QImage overlay(1600, 1200, QImage::Format_RGB32);
        overlay.fill(Qt::white);
        QVERIFY(overlay.save(bundle + QStringLiteral("/overlays/0001.png")));
        const nlohmann::json word{{"text", "Hello"}, {"box", {400, 600, 800, 200}}, {"confidence", 91.0}};
        const nlohmann::json page{{"index", 0}, {"source", "page.png"}, {"width", 3200}, {"height", 2400}, {"text", "Hello"},
                                  {"lines", {{{"text", "Hello"}, {"box", {400, 600, 800, 200}}, {"confidence", 91.0}, {"words", {word}}}}}};
        std::ofstream(bundle.toStdString() + "/ocr.json") << nlohmann::json{{"pages", {page}}}.dump();
        std::ofstream(bundle.toStdString() + "/provenance.json")
            << nlohmann::json{{"inputs", {{{"path", (tmp_.path() + QStringLiteral("/no-such-folder")).toStdString()}}}}}.dump();
        OcrResultView view;
        view.resize(800, 600);
        view.show();
        QSignalSpy shown(&view, &OcrResultView::pageShown);
        view.setBundle(bundle.toStdString());
        QVERIFY(shown.wait(30000));
        QCOMPARE(shown.last().at(1).toBool(), true);
        QGraphicsPixmapItem* picture = nullptr;
        for (QGraphicsItem* item : view.view()->scene()->items()) {
            picture = picture ? picture : qgraphicsitem_cast<QGraphicsPixmapItem*>(item);
        }
        QVERIFY(picture);
        QCOMPARE(picture->sceneBoundingRect(), QRectF(0, 0, 3200, 2400));
        QCOMPARE(view.view()->sceneRect(), QRectF(0, 0, 3200, 2400));
        QCOMPARE(view.wordAt(QPointF(800, 700)), QStringLiteral("Hello"));
    }

    void superResolutionShowsBeforeAndAfter()
    {
        const QString in = tmp_.path() + QStringLiteral("/small.png");
        QImage img(64, 48, QImage::Format_RGB32);
        QPainter p(&img);
        p.fillRect(img.rect(), QColor(30, 60, 90));
        p.setPen(QPen(QColor(240, 220, 120), 3));
        p.drawEllipse(QPoint(32, 24), 18, 14);
        p.drawLine(0, 47, 63, 0);
        p.end();
        QVERIFY(img.save(in));
        MainWindow w;
        w.setInteractive(false);
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.pipelinePanel()->selectPipeline(QStringLiteral("superres"));
        auto* model = qobject_cast<QLineEdit*>(w.pipelinePanel()->parameterForm()->editor(QStringLiteral("model")));
        QVERIFY(model);
        model->setText(QStringLiteral("slim-x2"));
        QCOMPARE(run(w, QStringLiteral("superres"), in), RunJob::State::Succeeded);
        QTRY_VERIFY_WITH_TIMEOUT(w.resultsPanel()->hasResult() && !w.busy(), 60000);
        QTabWidget* tabs = w.resultsPanel()->tabs();
        QCOMPARE(tabs->tabText(tabs->currentIndex()), QStringLiteral("Before / after"));
        QVERIFY(w.resultsPanel()->comparisonView()->isVisible());
        // The input, a 2D picture, is open as a dataset: one slice view fills the viewer.
        QCOMPARE(w.datasets().size(), 1u);
        QCOMPARE(w.viewLayout()->maximised(), 0);
        QTRY_VERIFY(w.sliceView(ViewPlane::Axial)->width() > w.viewLayout()->width() * 3 / 4);
        QVERIFY(!w.sliceView(ViewPlane::Coronal)->isVisible());
        QVERIFY(w.grab().save(QStringLiteral(STRATA_TEST_OUTPUT_DIR "/superres_before_after.png")));
    }

    void classifyFolderShowsSortableGallery()
    {
        const QString in = tmp_.path() + QStringLiteral("/images");
        QVERIFY(QDir().mkpath(in));
        for (int i = 0; i < 3; ++i) { // dark items on black, as the training data (what they are does not matter here)
            QImage img(28, 28, QImage::Format_Grayscale8);
            img.fill(Qt::black);
            QPainter p(&img);
            p.fillRect(4 + 2 * i, 3, 20 - 4 * i, 22, QColor(200, 200, 200));
            p.end();
            QVERIFY(img.save(in + QStringLiteral("/item%1.png").arg(i)));
        }
        QFile bad(in + QStringLiteral("/zz-broken.png"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not a png at all");
        bad.close();

        MainWindow w;
        w.setInteractive(false);
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.pipelinePanel()->selectPipeline(QStringLiteral("classify"));
        auto* onError = qobject_cast<QComboBox*>(w.pipelinePanel()->parameterForm()->editor(QStringLiteral("on_error")));
        QVERIFY(onError);
        onError->setCurrentText(QStringLiteral("skip"));
        QCOMPARE(run(w, QStringLiteral("classify"), in), RunJob::State::Succeeded);
        QTRY_VERIFY_WITH_TIMEOUT(w.resultsPanel()->hasResult() && !w.busy(), 60000);
        ClassifyGallery* g = w.resultsPanel()->gallery();
        QVERIFY(g);
        QCOMPARE(g->rowCount(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(g->thumbnailsLoaded(), 3, 30000); // the broken file has none

        // Sorted by probability, highest first; the failed image (no probability) goes last.
        g->table()->sortByColumn(2, Qt::DescendingOrder);
        const auto* m = g->table()->model();
        QVERIFY(m->index(0, 2).data(Qt::UserRole).toDouble() >= m->index(1, 2).data(Qt::UserRole).toDouble());
        QCOMPARE(m->index(3, 0).data().toString(), QStringLiteral("zz-broken.png"));
        QVERIFY(m->index(3, 3).data().toString().contains(QStringLiteral("zz-broken.png")));

        // Filtering by one label keeps exactly the images with that label.
        const int failed = g->labelFilter()->findData(QStringLiteral("failed"));
        QVERIFY(failed > 0);
        g->labelFilter()->setCurrentIndex(failed);
        QCOMPARE(g->rowCount(), 1);
        g->labelFilter()->setCurrentIndex(0);
        QCOMPARE(g->rowCount(), 4);
        QVERIFY(w.grab().save(QStringLiteral(STRATA_TEST_OUTPUT_DIR "/classify_gallery.png")));
    }
};

int main(int argc, char** argv)
{
    VtkOpenGLWidget::setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("StrataUiTest"));
    QStandardPaths::setTestModeEnabled(true);
    BatchResultsTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "BatchResultsTest.moc"
