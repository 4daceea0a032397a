// The results panel's quality-control banner (issue 16, part 4): shown with the reasons for not_a_knee and
// uncertain results, hidden for ok ones and after clear(); and its Maps tab (2D thickness maps). Plain widgets,
// offscreen.
#include <strata/ui/ResultsPanel.h>
#include <strata/ui/ViewerState.h>

#include <QDir>
#include <QImage>
#include <QLabel>
#include <QScrollArea>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
using namespace strata::ui;

class ResultsPanelQualityTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bannerShowsVerdictAndReasons()
    {
        ViewerState state;
        ResultsPanel panel(&state);
        results::ReportData d;
        d.subtitle = "brain.nii.gz";
        d.warning = "Not a knee: quality control found no knee the model can read in this scan.";
        d.warningReasons = {"The tibia is in pieces (only 45 % of it in its largest one)."};
        panel.setResult(d, LabelTable{}, QStringLiteral("/tmp/out"));
        QVERIFY(!panel.qualityWarning()->isHidden());
        QVERIFY(panel.qualityWarning()->text().contains(QStringLiteral("Not a knee")));
        QVERIFY(panel.qualityWarning()->text().contains(QStringLiteral("tibia is in pieces")));

        d.warning.clear();
        d.warningReasons.clear();
        panel.setResult(d, LabelTable{}, QStringLiteral("/tmp/out"));
        QVERIFY(panel.qualityWarning()->isHidden());
        panel.clear();
        QVERIFY(panel.qualityWarning()->isHidden());
    }

    void mapsTabShowsEveryThicknessMap()
    {
        QTemporaryDir dir;
        results::ReportData d;
        for (int i = 0; i < 3; ++i) {
            const QString file = dir.filePath(QStringLiteral("map%1.png").arg(i));
            QImage img(40 + 10 * i, 30, QImage::Format_RGB32);
            img.fill(Qt::darkGreen);
            QVERIFY(img.save(file));
            d.thicknessMaps.emplace_back("Plate " + std::to_string(i), file.toStdString());
        }
        ViewerState state;
        ResultsPanel panel(&state);
        panel.setResult(d, LabelTable{}, dir.path());
        auto* maps = panel.findChild<QScrollArea*>(QStringLiteral("thicknessMaps"));
        QVERIFY(maps);
        QList<QLabel*> pictures;
        for (auto* label : maps->widget()->findChildren<QLabel*>()) {
            if (!label->pixmap().isNull()) pictures.push_back(label);
        }
        QCOMPARE(pictures.size(), 3);
        QCOMPARE(pictures.back()->pixmap().width(), 60);
        auto* tabs = panel.findChild<QTabWidget*>();
        bool named = false;
        for (int i = 0; i < tabs->count(); ++i) named = named || tabs->tabText(i) == QStringLiteral("Maps");
        QVERIFY(named);
        panel.setResult(results::ReportData{}, LabelTable{}, dir.path()); // a result without maps: no tab
        for (int i = 0; i < tabs->count(); ++i) QVERIFY(tabs->tabText(i) != QStringLiteral("Maps"));
    }
};

QTEST_MAIN(ResultsPanelQualityTest)
#include "ResultsPanelQualityTest.moc"
