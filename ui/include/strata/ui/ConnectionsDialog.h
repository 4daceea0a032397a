#pragma once

#include "strata/ui/ConnectionStore.h"

#include <QDialog>
#include <QFutureWatcher>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace strata::ui {

/// Connections: add, edit, remove and test remote servers (name, URL, token, optional CA certificate or pinned
/// fingerprint). "Test connection" runs remote::testConnection off the GUI thread and says exactly what is wrong
/// (name does not resolve, nothing listening, TLS certificate, pin, token, API version) or shows the server's
/// version and GPU. Save writes the ConnectionStore (0600 file).
///
/// Plugging into the run panel's target list (kept out of MainWindow on purpose): offer "This workstation"
/// plus ConnectionStore().load(); for a server entry build remote::RemoteExecutor(connection.endpoint()) and
/// call run(request, sink, stopToken) exactly where a LocalExecutor runs today; the sink also receives
/// "upload"/"download" stage events for the transfers.
class ConnectionsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectionsDialog(ConnectionStore& store, QWidget* parent = nullptr);

    QList<ServerConnection> connections() const { return connections_; }
    /// Tests the connection being edited (asynchronously); testFinished() reports.
    void testCurrent();
    QString lastTestMessage() const;

Q_SIGNALS:
    void testFinished(bool ok, const QString& message);

private:
    void select(int row);
    void storeForm();
    void addConnection();
    void removeConnection();
    bool saveAll();
    void refreshList();

    ConnectionStore& store_;
    QList<ServerConnection> connections_;
    int current_{-1};
    QListWidget* list_{nullptr};
    QLineEdit* name_{nullptr};
    QLineEdit* url_{nullptr};
    QLineEdit* token_{nullptr};
    QLineEdit* caCert_{nullptr};
    QLineEdit* pin_{nullptr};
    QPushButton* testButton_{nullptr};
    QLabel* status_{nullptr};
    QFutureWatcher<remote::ConnectionReport> watcher_;
};

} // namespace strata::ui
