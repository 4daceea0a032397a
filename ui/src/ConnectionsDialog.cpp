#include "strata/ui/ConnectionsDialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace strata::ui {

ConnectionsDialog::ConnectionsDialog(ConnectionStore& store, QWidget* parent) : QDialog(parent), store_(store)
{
    setWindowTitle(tr("Connections"));
    setObjectName(QStringLiteral("connectionsDialog"));
    connections_ = store_.load();

    list_ = new QListWidget;
    list_->setObjectName(QStringLiteral("connectionList"));
    auto* add = new QPushButton(tr("Add"));
    auto* remove = new QPushButton(tr("Remove"));
    auto* listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    auto* left = new QVBoxLayout;
    left->addWidget(list_);
    left->addLayout(listButtons);

    name_ = new QLineEdit;
    name_->setObjectName(QStringLiteral("name"));
    url_ = new QLineEdit;
    url_->setObjectName(QStringLiteral("url"));
    url_->setPlaceholderText(QStringLiteral("https://gpu-box.example.org"));
    token_ = new QLineEdit;
    token_->setObjectName(QStringLiteral("token"));
    token_->setEchoMode(QLineEdit::Password);
    token_->setPlaceholderText(tr("from 'strata-server token create'"));
    caCert_ = new QLineEdit;
    caCert_->setObjectName(QStringLiteral("caCert"));
    caCert_->setPlaceholderText(tr("optional: CA or self-signed certificate (PEM)"));
    auto* browse = new QPushButton(tr("Browse…"));
    auto* caRow = new QHBoxLayout;
    caRow->addWidget(caCert_);
    caRow->addWidget(browse);
    pin_ = new QLineEdit;
    pin_->setObjectName(QStringLiteral("pin"));
    pin_->setPlaceholderText(tr("optional: SHA-256 fingerprint to pin (AB:CD:…)"));
    auto* form = new QFormLayout;
    form->addRow(tr("Name"), name_);
    form->addRow(tr("URL"), url_);
    form->addRow(tr("Token"), token_);
    form->addRow(tr("Certificate"), caRow);
    form->addRow(tr("Pinned fingerprint"), pin_);
    testButton_ = new QPushButton(tr("Test connection"));
    testButton_->setObjectName(QStringLiteral("testButton"));
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("testStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* right = new QVBoxLayout;
    right->addLayout(form);
    right->addWidget(testButton_);
    right->addWidget(status_, 1);

    auto* columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 2);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(buttons);

    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) { select(row); });
    connect(add, &QPushButton::clicked, this, [this] { addConnection(); });
    connect(remove, &QPushButton::clicked, this, [this] { removeConnection(); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Trusted certificate"), QString(),
                                                          tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty()) caCert_->setText(file);
    });
    connect(testButton_, &QPushButton::clicked, this, [this] { testCurrent(); });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (saveAll()) accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(&watcher_, &QFutureWatcher<remote::ConnectionReport>::finished, this, [this] {
        const auto report = watcher_.result();
        testButton_->setEnabled(true);
        const QString text = QString::fromStdString(report.message);
        status_->setText((report.ok ? QStringLiteral("✔ ") : QStringLiteral("✘ ")) + text);
        status_->setStyleSheet(report.ok ? QStringLiteral("color: #1b5e20") : QStringLiteral("color: #b71c1c"));
        Q_EMIT testFinished(report.ok, text);
    });

    refreshList();
    if (connections_.isEmpty()) addConnection();
    list_->setCurrentRow(0);
    if (!store_.error().isEmpty()) status_->setText(store_.error());
    resize(760, 360);
}

void ConnectionsDialog::refreshList()
{
    const QSignalBlocker block(list_);
    list_->clear();
    for (const auto& c : connections_) list_->addItem(c.name.isEmpty() ? tr("(unnamed)") : c.name);
    if (current_ >= 0 && current_ < list_->count()) list_->setCurrentRow(current_);
}

void ConnectionsDialog::storeForm()
{
    if (current_ < 0 || current_ >= connections_.size()) return;
    auto& c = connections_[current_];
    c.name = name_->text().trimmed();
    c.url = url_->text().trimmed();
    c.token = token_->text().trimmed();
    c.caCertFile = caCert_->text().trimmed();
    c.pinnedSha256 = pin_->text().trimmed();
    if (auto* item = list_->item(current_)) item->setText(c.name.isEmpty() ? tr("(unnamed)") : c.name);
}

void ConnectionsDialog::select(int row)
{
    storeForm();
    current_ = row;
    const bool valid = row >= 0 && row < connections_.size();
    const ServerConnection c = valid ? connections_[row] : ServerConnection{};
    name_->setText(c.name);
    url_->setText(c.url);
    token_->setText(c.token);
    caCert_->setText(c.caCertFile);
    pin_->setText(c.pinnedSha256);
    status_->clear();
}

void ConnectionsDialog::addConnection()
{
    storeForm();
    connections_.push_back({tr("GPU server %1").arg(connections_.size() + 1), QStringLiteral("https://"), {}, {}, {}});
    current_ = static_cast<int>(connections_.size()) - 1;
    refreshList();
    select(current_);
}

void ConnectionsDialog::removeConnection()
{
    if (current_ < 0 || current_ >= connections_.size()) return;
    connections_.removeAt(current_);
    current_ = std::min<int>(current_, static_cast<int>(connections_.size()) - 1);
    refreshList();
    const int row = current_;
    current_ = -1;
    select(row);
}

bool ConnectionsDialog::saveAll()
{
    storeForm();
    if (!store_.save(connections_)) {
        status_->setText(store_.error());
        return false;
    }
    return true;
}

void ConnectionsDialog::testCurrent()
{
    storeForm();
    if (current_ < 0 || current_ >= connections_.size() || watcher_.isRunning()) return;
    testButton_->setEnabled(false);
    status_->setStyleSheet({});
    status_->setText(tr("Testing %1 …").arg(connections_[current_].url));
    const remote::Endpoint endpoint = connections_[current_].endpoint();
    watcher_.setFuture(QtConcurrent::run([endpoint] { return remote::testConnection(endpoint); }));
}

QString ConnectionsDialog::lastTestMessage() const
{
    return status_->text();
}

} // namespace strata::ui
