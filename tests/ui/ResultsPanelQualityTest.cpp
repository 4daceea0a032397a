// The results panel's quality-control banner (issue 16, part 4): shown with the reasons for not_a_knee and
// uncertain results, hidden for ok ones and after clear(). Plain widgets, offscreen.
#include <strata/ui/ResultsPanel.h>
#include <strata/ui/ViewerState.h>

#include <QLabel>
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
};

QTEST_MAIN(ResultsPanelQualityTest)
#include "ResultsPanelQualityTest.moc"
