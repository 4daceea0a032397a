#include "strata/ui/RunHistoryStore.h"

#include "strata/ui/FsPath.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace strata::ui {

namespace {

const char* stateKey(RunJob::State s)
{
    switch (s) {
    case RunJob::State::Succeeded: return "succeeded";
    case RunJob::State::Failed: return "failed";
    case RunJob::State::Cancelled: return "cancelled";
    case RunJob::State::Running: return "running";
    case RunJob::State::Queued: break;
    }
    return "queued";
}

RunJob::State stateOf(const QString& s)
{
    return s == QLatin1String("succeeded") ? RunJob::State::Succeeded
           : s == QLatin1String("failed")  ? RunJob::State::Failed
                                           : RunJob::State::Cancelled;
}

QJsonObject toJson(const RunJob& j)
{
    QJsonObject inputs;
    for (const auto& [name, path] : j.request.inputs) {
        inputs.insert(QString::fromStdString(name), QString::fromStdString(path.string()));
    }
    return {{QStringLiteral("id"), j.id},
            {QStringLiteral("pipeline"), QString::fromStdString(j.request.pipeline)},
            {QStringLiteral("pipeline_title"), j.pipelineTitle},
            {QStringLiteral("inputs"), inputs},
            {QStringLiteral("input_name"), j.inputName},
            {QStringLiteral("parameters"), QString::fromStdString(j.request.parameters.dump())},
            {QStringLiteral("device"), QString::fromStdString(j.request.device)},
            {QStringLiteral("target_id"), j.targetId},
            {QStringLiteral("target_title"), j.targetTitle},
            {QStringLiteral("state"), QString::fromLatin1(stateKey(j.state))},
            {QStringLiteral("message"), j.message},
            {QStringLiteral("queued_at"), j.queuedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("started_at"), j.startedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("finished_at"), j.finishedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("result"), j.bundleDir}};
}

RunJob fromJson(const QJsonObject& o)
{
    RunJob j;
    j.id = o.value(QStringLiteral("id")).toInt();
    j.request.pipeline = o.value(QStringLiteral("pipeline")).toString().toStdString();
    const QJsonObject inputs = o.value(QStringLiteral("inputs")).toObject();
    for (auto it = inputs.begin(); it != inputs.end(); ++it) {
        j.request.inputs[it.key().toStdString()] = fsPath(it.value().toString());
    }
    j.request.parameters = nlohmann::json::parse(o.value(QStringLiteral("parameters")).toString().toStdString(), nullptr, false);
    if (j.request.parameters.is_discarded()) {
        j.request.parameters = nlohmann::json::object();
    }
    j.request.device = o.value(QStringLiteral("device")).toString().toStdString();
    j.request.outputDir = fsPath(o.value(QStringLiteral("result")).toString());
    j.pipelineTitle = o.value(QStringLiteral("pipeline_title")).toString();
    j.inputName = o.value(QStringLiteral("input_name")).toString();
    j.targetId = o.value(QStringLiteral("target_id")).toString();
    j.targetTitle = o.value(QStringLiteral("target_title")).toString();
    j.state = stateOf(o.value(QStringLiteral("state")).toString());
    j.message = o.value(QStringLiteral("message")).toString();
    j.queuedAt = QDateTime::fromString(o.value(QStringLiteral("queued_at")).toString(), Qt::ISODateWithMs);
    j.startedAt = QDateTime::fromString(o.value(QStringLiteral("started_at")).toString(), Qt::ISODateWithMs);
    j.finishedAt = QDateTime::fromString(o.value(QStringLiteral("finished_at")).toString(), Qt::ISODateWithMs);
    j.bundleDir = o.value(QStringLiteral("result")).toString();
    j.progress = j.state == RunJob::State::Succeeded ? 1.0 : 0.0;
    return j;
}

} // namespace

std::vector<RunJob> RunHistoryStore::load(QString* warning) const
{
    QFile f(file_);
    if (!f.exists()) {
        return {};
    }
    QJsonParseError error{};
    const QJsonDocument doc = f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll(), &error) : QJsonDocument();
    f.close();
    if (!doc.isObject() || !doc.object().value(QStringLiteral("runs")).isArray()) {
        const QString aside = file_ + QStringLiteral(".damaged");
        QFile::remove(aside);
        QFile::rename(file_, aside);
        if (warning) {
            *warning = QObject::tr("The run history \"%1\" could not be read (%2); it was set aside as \"%3\".")
                           .arg(file_, error.error != QJsonParseError::NoError ? error.errorString() : QObject::tr("not a run history"), aside);
        }
        return {};
    }
    std::vector<RunJob> jobs;
    for (const auto& v : doc.object().value(QStringLiteral("runs")).toArray()) {
        RunJob j = fromJson(v.toObject());
        if (j.id > 0 && j.finished()) {
            jobs.push_back(std::move(j));
        }
    }
    return jobs;
}

bool RunHistoryStore::save(const std::vector<RunJob>& jobs) const
{
    QJsonArray runs;
    std::vector<const RunJob*> finished;
    for (const auto& j : jobs) {
        if (j.finished()) {
            finished.push_back(&j);
        }
    }
    const std::size_t skip = finished.size() > kMaxRuns ? finished.size() - kMaxRuns : 0;
    for (std::size_t i = skip; i < finished.size(); ++i) {
        runs.append(toJson(*finished[i]));
    }
    QDir().mkpath(QFileInfo(file_).absolutePath());
    QSaveFile out(file_);
    if (!out.open(QIODevice::WriteOnly)) {
        return false;
    }
    out.write(QJsonDocument(QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("runs"), runs}}).toJson());
    return out.commit();
}

} // namespace strata::ui
