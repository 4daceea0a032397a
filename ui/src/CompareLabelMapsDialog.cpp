#include "strata/ui/CompareLabelMapsDialog.h"

#include "strata/ui/FsPath.h"
#include "strata/ui/ResultTableView.h"

#include <strata/Error.h>
#include <strata/results/LabelComparisonTable.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace strata::ui {

struct CompareLabelMapsDialog::Outcome {
    std::vector<quant::LabelAgreement> rows;
    QString error;
    bool cancelled{false};
};

CompareLabelMapsDialog::CompareLabelMapsDialog(std::shared_ptr<Dataset> dataset, QWidget* parent)
    : QDialog(parent), dataset_(std::move(dataset)), a_(new QComboBox(this)), b_(new QComboBox(this)),
      table_(new ResultTableView(this)), status_(new QLabel(this)), export_(new QPushButton(tr("Export CSV..."), this)),
      watcher_(new QFutureWatcher<std::shared_ptr<Outcome>>(this))
{
    setWindowTitle(tr("Compare label maps - %1").arg(QString::fromStdString(dataset_->name)));
    a_->setObjectName(QStringLiteral("compareMapA"));
    b_->setObjectName(QStringLiteral("compareMapB"));
    table_->setObjectName(QStringLiteral("compareTable"));
    export_->setObjectName(QStringLiteral("compareExportCsv"));
    for (const auto& e : dataset_->labelMaps.entries()) {
        a_->addItem(QString::fromStdString(e.name));
        b_->addItem(QString::fromStdString(e.name));
    }
    status_->setWordWrap(true);
    // A wrapped label in this layout got one line of height: the second line ran under the buttons.
    status_->setMinimumHeight(2 * status_->fontMetrics().lineSpacing() + 4);
    auto* form = new QFormLayout;
    form->addRow(tr("Map A (reference)"), a_);
    form->addRow(tr("Map B"), b_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(export_, QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(table_, 1);
    layout->addWidget(status_);
    layout->addWidget(buttons);
    resize(1200, 440); // every column of the table without scrolling

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(export_, &QPushButton::clicked, this, &CompareLabelMapsDialog::exportDialog);
    connect(a_, &QComboBox::currentIndexChanged, this, &CompareLabelMapsDialog::compare);
    connect(b_, &QComboBox::currentIndexChanged, this, &CompareLabelMapsDialog::compare);
    connect(watcher_, &QFutureWatcher<std::shared_ptr<Outcome>>::finished, this, &CompareLabelMapsDialog::onFinished);
    connect(table_, &ResultTableView::labelActivated, this, [this](int id, const QString&) {
        if (id > 0) Q_EMIT labelActivated(id);
    });

    const int shown = std::max(dataset_->labelMaps.shownIndex(), 0);
    choose(0, shown == 0 ? std::min(1, dataset_->labelMaps.size() - 1) : shown);
}

CompareLabelMapsDialog::~CompareLabelMapsDialog()
{
    stop_.request_stop();
    watcher_->waitForFinished(); // stops within one slice of the distance transform
}

void CompareLabelMapsDialog::choose(int a, int b)
{
    const QSignalBlocker blockA(a_), blockB(b_);
    a_->setCurrentIndex(a);
    b_->setCurrentIndex(b);
    compare();
}

void CompareLabelMapsDialog::refreshMaps()
{
    const QSignalBlocker blockA(a_), blockB(b_);
    const auto& maps = dataset_->labelMaps.entries(); // only ever appended to: the indices listed stay valid
    for (auto i = static_cast<std::size_t>(a_->count()); i < maps.size(); ++i) {
        a_->addItem(QString::fromStdString(maps[i].name));
        b_->addItem(QString::fromStdString(maps[i].name));
    }
}

bool CompareLabelMapsDialog::computing() const { return running_; }

QString CompareLabelMapsDialog::statusText() const { return status_->text(); }

void CompareLabelMapsDialog::compare()
{
    export_->setEnabled(false);
    if (running_) { // the other result is of no use now: stop it and compare when it has ended
        stop_.request_stop();
        pending_ = true;
        return;
    }
    pending_ = false;
    const auto& maps = dataset_->labelMaps.entries();
    const int ia = a_->currentIndex(), ib = b_->currentIndex();
    if (ia < 0 || ib < 0 || ia >= static_cast<int>(maps.size()) || ib >= static_cast<int>(maps.size())) {
        table_->setTable({});
        status_->setText(tr("This image has fewer than two label maps."));
        Q_EMIT compared();
        return;
    }
    // Plain data to the worker; the editor's copies change on the GUI thread, so those are copied first.
    const auto snapshot = [](const LabelMapEntry& e) {
        return e.editable ? std::make_shared<const LabelMap>(*e.labels) : e.labels;
    };
    const auto mapA = snapshot(maps[static_cast<std::size_t>(ia)]);
    const auto mapB = snapshot(maps[static_cast<std::size_t>(ib)]);
    stop_ = std::stop_source();
    const std::stop_token token = stop_.get_token();
    const quint64 gen = ++generation_;
    status_->setText(tr("Comparing..."));
    running_ = true;
    ProgressFn progress = [this, gen](double f, const std::string& message) {
        QMetaObject::invokeMethod(this, [this, gen, f, m = QString::fromStdString(message)] {
            if (gen == generation_ && running_)
                status_->setText(tr("Comparing: %1 (%2 %)").arg(m).arg(qRound(f * 100)));
        }, Qt::QueuedConnection);
    };
    watcher_->setFuture(QtConcurrent::run([mapA, mapB, token, progress] {
        auto out = std::make_shared<Outcome>();
        try {
            out->rows = quant::compareLabelMaps(*mapA, *mapB, {}, token, progress);
        } catch (const Cancelled&) {
            out->cancelled = true;
        } catch (const std::exception& e) {
            out->error = QString::fromUtf8(e.what());
        }
        return out;
    }));
}

void CompareLabelMapsDialog::onFinished()
{
    running_ = false;
    if (pending_) {
        compare();
        return;
    }
    const auto out = watcher_->result();
    if (out->cancelled) {
        status_->setText(tr("Cancelled."));
    } else if (!out->error.isEmpty()) {
        table_->setTable({});
        status_->setText(out->error);
    } else {
        table_->setTable(results::labelComparisonTable(out->rows, a_->currentText().toStdString(), b_->currentText().toStdString()));
        status_->setText(tr("A = %1, B = %2: %n label(s). Surface distances in mm between the two maps' boundaries (mean "
                            "of both directions; Hausdorff 95: the larger 95th percentile). Click a row to show that label.",
                            nullptr, static_cast<int>(out->rows.size()))
                             .arg(a_->currentText(), b_->currentText()));
        export_->setEnabled(true);
    }
    Q_EMIT compared();
}

bool CompareLabelMapsDialog::exportCsv(const QString& path)
{
    try {
        table_->table().writeCsv(fsPath(path));
        status_->setText(tr("Table written to %1").arg(path));
        return true;
    } catch (const std::exception& e) {
        status_->setText(QString::fromUtf8(e.what()));
        return false;
    }
}

void CompareLabelMapsDialog::exportDialog()
{
    const QString base = QString::fromStdString(dataset_->name).section(QLatin1Char('.'), 0, 0);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export comparison"), base + QStringLiteral("_label_comparison.csv"),
                                                      tr("CSV tables (*.csv)"));
    if (!path.isEmpty()) exportCsv(path);
}

} // namespace strata::ui
