// CompareTimepointsWindow::start: choosing the two results and comparing them off the GUI thread.
#include "strata/ui/CompareTimepointsWindow.h"

#include "strata/ui/FsPath.h"

#include <strata/Error.h>

#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>
#include <stop_token>

namespace strata::ui {

namespace {

/// A folder row: the path and a Browse... button.
QLineEdit* folderRow(QFormLayout* form, QDialog* dialog, const QString& label, const QString& value)
{
    auto* edit = new QLineEdit(value);
    edit->setMinimumWidth(420);
    auto* browse = new QPushButton(QObject::tr("Browse..."));
    QObject::connect(browse, &QPushButton::clicked, dialog, [dialog, edit, label] {
        const QString dir = QFileDialog::getExistingDirectory(dialog, label, edit->text());
        if (!dir.isEmpty()) edit->setText(dir);
    });
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    return edit;
}

struct Outcome {
    std::shared_ptr<TimepointCompare> compare;
    QString error;
    bool cancelled{false};
};

} // namespace

void CompareTimepointsWindow::start(QWidget* parent, const QString& suggestedFollowup)
{
    QSettings settings;
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Compare timepoints"));
    auto* form = new QFormLayout(&dialog);
    form->addRow(new QLabel(QObject::tr("Two knee results of the same knee (folders written by a knee analysis).")));
    QLineEdit* base = folderRow(form, &dialog, QObject::tr("Baseline result:"), settings.value(QStringLiteral("compare/baseline")).toString());
    QLineEdit* follow = folderRow(form, &dialog, QObject::tr("Follow-up result:"),
                                  suggestedFollowup.isEmpty() ? settings.value(QStringLiteral("compare/followup")).toString() : suggestedFollowup);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(QObject::tr("Compare"));
    form->addRow(buttons);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted) return;
    const QString baseDir = QDir::cleanPath(base->text()), followDir = QDir::cleanPath(follow->text());
    settings.setValue(QStringLiteral("compare/baseline"), baseDir);
    settings.setValue(QStringLiteral("compare/followup"), followDir);
    const QString outDir = QFileInfo(followDir).absolutePath() + QLatin1Char('/') + QFileInfo(followDir).fileName() +
                           QStringLiteral("_vs_") + QFileInfo(baseDir).fileName();

    auto stop = std::make_shared<std::stop_source>();
    auto* progress = new QProgressDialog(QObject::tr("Comparing the timepoints..."), QObject::tr("Cancel"), 0, 100, parent);
    progress->setWindowTitle(QObject::tr("Compare timepoints"));
    progress->setMinimumDuration(0);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    progress->setValue(0);
    QObject::connect(progress, &QProgressDialog::canceled, progress, [stop] { stop->request_stop(); });
    auto* watcher = new QFutureWatcher<Outcome>(progress);
    QPointer<QProgressDialog> guard(progress);
    QObject::connect(watcher, &QFutureWatcher<Outcome>::finished, progress, [watcher, progress, parent] {
        Outcome o = watcher->result();
        progress->deleteLater();
        if (o.cancelled) return;
        if (!o.compare) {
            QMessageBox::warning(parent, QObject::tr("Compare timepoints"), o.error);
            return;
        }
        auto* window = new CompareTimepointsWindow(std::move(*o.compare), parent);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->show();
    });
    watcher->setFuture(QtConcurrent::run([baseDir, followDir, outDir, stop, guard]() -> Outcome {
        Outcome o;
        try {
            o.compare = std::make_shared<TimepointCompare>(TimepointCompare::load(
                fsPath(baseDir), fsPath(followDir), fsPath(outDir), stop->get_token(), [guard](double f, const std::string& m) {
                    QMetaObject::invokeMethod(guard.data(), [guard, f, text = QString::fromStdString(m)] {
                        if (!guard) return;
                        guard->setLabelText(text);
                        guard->setValue(int(f * 100));
                    }, Qt::QueuedConnection);
                }));
        } catch (const Cancelled&) {
            o.cancelled = true;
        } catch (const std::exception& e) {
            o.error = QString::fromUtf8(e.what());
        }
        return o;
    }));
}

} // namespace strata::ui
