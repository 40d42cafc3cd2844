#include "audit_log_view.h"

#include "audit_log_model.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QThreadPool>
#include <QVBoxLayout>

namespace tai::ui {

AuditLogView::AuditLogView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* filters = new QHBoxLayout;
    kind_ = new QComboBox(this);
    kind_->setAccessibleName(QStringLiteral("Audit kind filter"));
    kind_->addItem(QStringLiteral("All kinds"), QString());
    for (const char* kind : {"decision", "operator", "breaker_transition", "rollout_stage", "rollback",
                             "andon", "deployment", "policy", "shed", "system"}) {
        kind_->addItem(QString::fromLatin1(kind), QString::fromLatin1(kind));
    }
    subject_ = new QLineEdit(this);
    subject_->setPlaceholderText(QStringLiteral("Subject (payment id, breaker, deployment)"));
    subject_->setAccessibleName(QStringLiteral("Audit subject filter"));
    trace_ = new QLineEdit(this);
    trace_->setPlaceholderText(QStringLiteral("Trace id"));
    trace_->setAccessibleName(QStringLiteral("Audit trace id filter"));
    from_ = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(0, Qt::UTC), this);
    to_ = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(4102444800000LL, Qt::UTC), this);
    for (QDateTimeEdit* edit : {from_, to_}) {
        edit->setTimeSpec(Qt::UTC);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setCalendarPopup(true);
    }
    from_->setAccessibleName(QStringLiteral("Audit from time"));
    to_->setAccessibleName(QStringLiteral("Audit to time"));
    auto* search = new QPushButton(QStringLiteral("Search"), this);
    auto* more = new QPushButton(QStringLiteral("Load more"), this);
    auto* exportButton = new QPushButton(QStringLiteral("Export…"), this);
    exportButton->setToolTip(
        QStringLiteral("Write every event matching the filters to a CSV or JSONL file."));
    filters->addWidget(kind_);
    filters->addWidget(subject_, 1);
    filters->addWidget(trace_, 1);
    filters->addWidget(from_);
    filters->addWidget(to_);
    filters->addWidget(search);
    filters->addWidget(more);
    filters->addWidget(exportButton);
    auto* why = new QPushButton(QStringLiteral("Why?"), this);
    why->setToolTip(QStringLiteral("Why was the selected payment blocked? (select a decision row)"));
    connect(why, &QPushButton::clicked, this, [this] {
        const auto rows = table_->selectionModel()->selectedRows();
        const AuditRecord* r = rows.isEmpty() ? nullptr : model_->recordAt(rows.front().row());
        if (r != nullptr && !r->row.traceId.isEmpty()) {
            Q_EMIT whyRequested(r->row.traceId);
        }
    });
    filters->addWidget(why);
    layout->addLayout(filters);
    model_ = new AuditLogModel(this);
    table_ = new QTableView(this);
    table_->setModel(model_);
    table_->setAccessibleName(QStringLiteral("Audit log"));
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setWordWrap(false);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setMinimumHeight(50);  // the dock stays short at 1280x800
    layout->addWidget(table_, 1);
    status_ = new QLabel(this);
    layout->addWidget(status_);
    connect(search, &QPushButton::clicked, this, &AuditLogView::refresh);
    connect(more, &QPushButton::clicked, this, &AuditLogView::loadMore);
    connect(exportButton, &QPushButton::clicked, this, &AuditLogView::exportRange);
    connect(subject_, &QLineEdit::returnPressed, this, &AuditLogView::refresh);
    connect(trace_, &QLineEdit::returnPressed, this, &AuditLogView::refresh);
}

void AuditLogView::setSource(Query query, Export exporter) {
    query_ = std::move(query);
    exporter_ = std::move(exporter);
    status_->setText(query_ ? QString() : QStringLiteral("No audit trail in this mode"));
}

AuditQuery AuditLogView::currentQuery() const {
    AuditQuery q;
    if (!kind_->currentData().toString().isEmpty()) {
        q.kinds << kind_->currentData().toString();
    }
    q.subject = subject_->text().trimmed();
    q.traceId = trace_->text().trimmed();
    q.fromMs = from_->dateTime().toMSecsSinceEpoch();
    q.toMs = to_->dateTime().toMSecsSinceEpoch();
    q.limit = 500;
    return q;
}

void AuditLogView::refresh() {
    fetch(currentQuery(), true);
}

void AuditLogView::loadMore() {
    AuditQuery q = currentQuery();
    q.afterSeq = model_->lastSeq();
    fetch(q, false);
}

void AuditLogView::fetch(AuditQuery query, bool replace) {
    if (!query_) {
        return;
    }
    const quint64 generation = replace ? ++generation_ : generation_;
    status_->setText(QStringLiteral("Reading…"));
    auto* watcher = new QFutureWatcher<AuditPage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, replace, generation] {
        watcher->deleteLater();
        if (generation != generation_ || watcher->future().resultCount() == 0) {
            return;  // the operator has asked for something else since
        }
        const AuditPage page = watcher->future().result();
        if (!page.error.isEmpty()) {
            status_->setText(QStringLiteral("Cannot read the audit trail: ") + page.error);
            return;
        }
        if (replace) {
            model_->clear();
        }
        model_->appendPage(page.records);
        status_->setText(QStringLiteral("%1 events shown%2")
                             .arg(model_->rowCount())
                             .arg(page.records.size() == 500
                                      ? QStringLiteral(" (Load more for the next page)")
                                      : QString()));
        Q_EMIT pageLoaded(static_cast<int>(page.records.size()));
    });
    watcher->setFuture(query_(query));
}

void AuditLogView::exportRange() {
    if (!exporter_) {
        return;
    }
    QString selected;
    const QString file = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export the audit trail"), QStringLiteral("audit.jsonl"),
        QStringLiteral("JSON lines (*.jsonl);;CSV (*.csv)"), &selected);
    if (file.isEmpty()) {
        return;
    }
    const QString format = file.endsWith(QStringLiteral(".csv")) || selected.startsWith(QStringLiteral("CSV"))
                               ? QStringLiteral("csv")
                               : QStringLiteral("jsonl");
    status_->setText(QStringLiteral("Exporting…"));
    auto* watcher = new QFutureWatcher<AuditExport>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, file] {
        watcher->deleteLater();
        const AuditExport result =
            watcher->future().resultCount() > 0 ? watcher->future().result() : AuditExport{};
        status_->setText(result.error.isEmpty()
                             ? QStringLiteral("Exported %1 events to %2").arg(result.rows).arg(file)
                             : QStringLiteral("Export failed: ") + result.error);
    });
    watcher->setFuture(exporter_(currentQuery(), format, file));
}

}  // namespace tai::ui
