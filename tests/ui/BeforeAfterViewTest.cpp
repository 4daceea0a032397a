// The super-resolution before/after view: "before" left of the divider, "after" right of it, the divider follows
// the mouse and the arrow keys; the results panel shows it for a superres bundle (offscreen: no OpenGL needed).
#include <strata/results/ReportData.h>
#include <strata/ui/BeforeAfterView.h>
#include <strata/ui/ResultsPanel.h>
#include <strata/ui/ViewerState.h>

#include <QApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace strata::ui;

namespace {

QImage filled(QColor c)
{
    QImage im(200, 100, QImage::Format_RGB32);
    im.fill(c);
    return im;
}

} // namespace

class BeforeAfterViewTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsBeforeLeftAndAfterRightOfTheDivider()
    {
        BeforeAfterView view;
        view.resize(400, 200);
        view.setImages(filled(Qt::red), filled(Qt::blue));
        view.setDivider(0.25);
        const QImage shot = view.grab().toImage();
        const QRect r = view.imageRect();
        QCOMPARE(r, QRect(0, 0, 400, 200));
        QCOMPARE(QColor(shot.pixel(50, 150)), QColor(Qt::red));   // left of the divider at x = 100
        QCOMPARE(QColor(shot.pixel(300, 150)), QColor(Qt::blue)); // right of it
        shot.save(QStringLiteral(STRATA_TEST_OUTPUT_DIR "/before_after.png"));
    }

    void dividerFollowsMouseAndKeys()
    {
        BeforeAfterView view;
        view.resize(400, 200);
        view.setImages(filled(Qt::red), filled(Qt::blue));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy moved(&view, &BeforeAfterView::dividerMoved);
        QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(100, 100));
        QCOMPARE(view.divider(), 0.25);
        QMouseEvent move(QEvent::MouseMove, QPointF(300, 100), view.mapToGlobal(QPointF(300, 100)), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&view, &move);
        QCOMPARE(view.divider(), 0.75);
        QTest::mouseRelease(&view, Qt::LeftButton, {}, QPoint(300, 100));
        QTest::keyClick(&view, Qt::Key_Left);
        QVERIFY(std::abs(view.divider() - 0.70) < 1e-9);
        QCOMPARE(moved.count(), 3);
        QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(-50, 100)); // clamped
        QCOMPARE(view.divider(), 0.0);
    }

    void resultsPanelShowsTheComparisonOfASuperResBundle()
    {
        QTemporaryDir dir;
        QVERIFY(filled(Qt::red).save(dir.filePath(QStringLiteral("bicubic.png"))));
        QVERIFY(filled(Qt::blue).save(dir.filePath(QStringLiteral("upscaled.png"))));
        QFile f(dir.filePath(QStringLiteral("superres.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"kind": "image", "comparison": {"before": "bicubic.png", "after": "upscaled.png"}})");
        f.close();
        ViewerState state;
        ResultsPanel panel(&state);
        panel.setResult(strata::results::ReportData{}, strata::LabelTable{}, dir.path());
        QCOMPARE(panel.tabs()->tabText(0), QStringLiteral("Before / after"));
        QCOMPARE(panel.tabs()->widget(0), panel.comparisonView());
        panel.setResult(strata::results::ReportData{}, strata::LabelTable{}, QDir::tempPath() + QStringLiteral("/no-such-bundle"));
        QVERIFY(panel.tabs()->indexOf(panel.comparisonView()) < 0);
    }
};

QTEST_MAIN(BeforeAfterViewTest)
#include "BeforeAfterViewTest.moc"
