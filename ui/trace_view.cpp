#include "trace_view.h"

#include "status_colors.h"
#include "trace/otlp_json.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace tai::ui {

namespace {
constexpr int kRowHeight = 22;
constexpr int kLabelWidth = 150;
constexpr int kDurationWidth = 64;
constexpr int kAxisHeight = 20;

QString durationText(Duration d) {
    const double us = toSeconds(d) * 1e6;
    if (us < 1000) {
        return QString::number(us, 'f', us < 10 ? 1 : 0) + QStringLiteral(" µs");
    }
    return QString::number(us / 1000, 'f', us < 10'000 ? 2 : 1) + QStringLiteral(" ms");
}
}  // namespace

TraceGantt::TraceGantt(QWidget* parent) : QWidget(parent) {
    setAccessibleName(QStringLiteral("Trace spans (Gantt chart)"));
    setFocusPolicy(Qt::ClickFocus);
}

QSize TraceGantt::sizeHint() const {
    return {600, kAxisHeight + kRowHeight * std::max<int>(6, static_cast<int>(spans_.size())) + 6};
}

QSize TraceGantt::minimumSizeHint() const {
    return {kLabelWidth + kDurationWidth + 100, kAxisHeight + kRowHeight * 4};
}

void TraceGantt::setTrace(std::shared_ptr<const KeptTrace> trace) {
    trace_ = std::move(trace);
    spans_ = trace_ ? trace_->spans() : std::vector<Span>{};
    depth_.assign(spans_.size(), 0);
    for (std::size_t i = 0; i < spans_.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (spans_[j].spanId == spans_[i].parentId) {
                depth_[i] = depth_[j] + 1;
            }
        }
    }
    selected_ = 0;
    updateGeometry();
    update();
    Q_EMIT spanSelected(selected_);
}

void TraceGantt::selectSpan(int index) {
    if (index >= 0 && index < static_cast<int>(spans_.size())) {
        selected_ = index;
        update();
        Q_EMIT spanSelected(index);
    }
}

void TraceGantt::mousePressEvent(QMouseEvent* event) {
    selectSpan((static_cast<int>(event->position().y()) - kAxisHeight) / kRowHeight);
}

void TraceGantt::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (!trace_ || spans_.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, QStringLiteral("Pick a trace to see its spans"));
        return;
    }
    const TimePoint start = trace_->start();
    const double total = std::max(1e-6, toSeconds(trace_->end() - start));
    const int barLeft = kLabelWidth + 8;
    const int barWidth = std::max(40, width() - barLeft - kDurationWidth - 4);
    // Axis: 0, half, total.
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(barLeft, kAxisHeight - 4, barLeft + barWidth, kAxisHeight - 4);
    p.setPen(palette().color(QPalette::Text));
    const QFontMetrics metrics(font());
    const std::vector<double> ticks =
        barWidth >= 180 ? std::vector<double>{0.0, 0.5, 1.0} : std::vector<double>{0.0, 1.0};
    for (const double f : ticks) {
        const int x = barLeft + static_cast<int>(f * barWidth);
        const QString label =
            durationText(std::chrono::duration_cast<Duration>(std::chrono::duration<double>(total * f)));
        const int w = metrics.horizontalAdvance(label);
        p.drawText(std::clamp(x - w / 2, barLeft, barLeft + barWidth - w), kAxisHeight - 7, label);
    }
    for (std::size_t i = 0; i < spans_.size(); ++i) {
        const Span& s = spans_[i];
        const int y = kAxisHeight + static_cast<int>(i) * kRowHeight;
        if (static_cast<int>(i) == selected_) {
            p.fillRect(QRect(0, y, width(), kRowHeight), palette().color(QPalette::Highlight).lighter(170));
        }
        p.setPen(palette().color(QPalette::Text));
        const QString name = metrics.elidedText(s.name, Qt::ElideRight, kLabelWidth - 8 - depth_[i] * 12);
        p.drawText(QRect(4 + depth_[i] * 12, y, kLabelWidth, kRowHeight), Qt::AlignVCenter, name);
        const double from = toSeconds(s.start - start) / total;
        const double length = toSeconds(s.end - s.start) / total;
        const int x = barLeft + static_cast<int>(from * barWidth);
        const int w = std::max(3, static_cast<int>(length * barWidth));
        const QColor color = s.error ? lightColor(AndonLight::Red) : QColor(0x3b, 0x82, 0xf6);
        p.fillRect(QRect(x, y + 4, std::min(w, barLeft + barWidth - x + 3), kRowHeight - 8), color);
        p.drawText(QRect(barLeft + barWidth + 6, y, kDurationWidth, kRowHeight), Qt::AlignVCenter,
                   durationText(s.end - s.start));
    }
}

TraceView::TraceView(QWidget* parent) : QWidget(parent) {
    setAccessibleName(QStringLiteral("Traces"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QHBoxLayout;
    traceId_ = new QLineEdit(this);
    traceId_->setPlaceholderText(QStringLiteral("trace id (32 hex)"));
    traceId_->setClearButtonEnabled(true);
    traceId_->setMinimumWidth(120);
    customer_ = new QLineEdit(this);
    customer_->setPlaceholderText(QStringLiteral("customer id"));
    customer_->setClearButtonEnabled(true);
    customer_->setMinimumWidth(80);
    outcome_ = new QComboBox(this);
    outcome_->addItem(QStringLiteral("any outcome"), QString());
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        outcome_->addItem(toString(static_cast<PaymentOutcome>(i)), toString(static_cast<PaymentOutcome>(i)));
    }
    auto* find = new QPushButton(QStringLiteral("Search"), this);
    auto* why = new QPushButton(QStringLiteral("Why was this blocked?"), this);
    auto* exportButton = new QPushButton(QStringLiteral("Export OTLP…"), this);
    form->addWidget(traceId_, 3);
    form->addWidget(customer_, 2);
    form->addWidget(outcome_, 1);
    form->addWidget(find);
    layout->addLayout(form);
    auto* actions = new QHBoxLayout;
    status_ = new QLabel(this);
    status_->setTextFormat(Qt::PlainText);
    status_->setWordWrap(true);  // a long trace line must not widen the window
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    actions->addWidget(status_, 1);
    actions->addWidget(why);
    actions->addWidget(exportButton);
    layout->addLayout(actions);

    auto* split = new QSplitter(Qt::Vertical, this);
    results_ = new QTableWidget(0, 5, split);
    results_->setHorizontalHeaderLabels({QStringLiteral("Outcome"), QStringLiteral("Customer / deployment"),
                                         QStringLiteral("Duration"), QStringLiteral("Kept"),
                                         QStringLiteral("Trace id")});
    results_->setSelectionBehavior(QAbstractItemView::SelectRows);
    results_->setSelectionMode(QAbstractItemView::SingleSelection);
    results_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    results_->verticalHeader()->hide();
    results_->horizontalHeader()->setStretchLastSection(true);
    auto* lower = new QSplitter(Qt::Horizontal, split);
    gantt_ = new TraceGantt(lower);
    attributes_ = new QTableWidget(0, 1, lower);  // "key = value": readable in a narrow pane
    attributes_->setHorizontalHeaderLabels({QStringLiteral("Span attributes")});
    attributes_->verticalHeader()->hide();
    attributes_->horizontalHeader()->setStretchLastSection(true);
    attributes_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    attributes_->setMinimumWidth(160);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    lower->setSizes({400, 210});
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(find, &QPushButton::clicked, this, &TraceView::search);
    connect(find, &QPushButton::clicked, this, [this] { picked_ = true; });
    connect(traceId_, &QLineEdit::returnPressed, this, &TraceView::search);
    connect(customer_, &QLineEdit::returnPressed, this, &TraceView::search);
    connect(results_, &QTableWidget::cellClicked, this, [this] { picked_ = true; });
    connect(results_, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = results_->selectionModel()->selectedRows();
        if (!rows.isEmpty()) {
            showTrace(results_->item(rows.front().row(), 4)->text());
        }
    });
    connect(gantt_, &TraceGantt::spanSelected, this, &TraceView::showAttributes);
    connect(why, &QPushButton::clicked, this, [this] {
        if (current_) {
            Q_EMIT whyRequested(current_->traceId());
        }
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        if (!current_) {
            return;
        }
        const QString file = QFileDialog::getSaveFileName(this, QStringLiteral("Export trace as OTLP/JSON"),
                                                          current_->traceId() + QStringLiteral(".otlp.json"));
        QFile out(file);
        if (!file.isEmpty() &&
            (!out.open(QIODevice::WriteOnly) || out.write(otlpTraceRequest({current_})) < 0)) {
            status_->setText(QStringLiteral("Could not write %1: %2").arg(file, out.errorString()));
        }
    });
}

void TraceView::setSource(Source source) {
    source_ = std::move(source);
    status_->setText(
        source_ ? QStringLiteral("Kept traces: rejected and failed payments always, others as sampled; "
                                 "every deployment.")
                : QStringLiteral("No trace store in this mode."));
}

void TraceView::query(const TraceQuery& q,
                      std::function<void(std::vector<std::shared_ptr<const KeptTrace>>)> done) {
    if (!source_) {
        return;
    }
    auto* watcher = new QFutureWatcher<std::vector<std::shared_ptr<const KeptTrace>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [watcher, done = std::move(done)] {
        done(watcher->future().isValid() && watcher->future().resultCount() > 0
                 ? watcher->future().result()
                 : std::vector<std::shared_ptr<const KeptTrace>>{});
        watcher->deleteLater();
    });
    watcher->setFuture(source_(q));
}

void TraceView::search() {
    TraceQuery q;
    q.traceId = traceId_->text().trimmed().toLower();
    if (const QString customer = customer_->text().trimmed(); !customer.isEmpty()) {
        q.tags.emplace_back(QStringLiteral("customer"), customer);
    }
    if (const QString outcome = outcome_->currentData().toString(); !outcome.isEmpty()) {
        q.tags.emplace_back(QStringLiteral("outcome"), outcome);
    }
    q.limit = 200;
    query(q, [this](std::vector<std::shared_ptr<const KeptTrace>> found) {
        found_ = std::move(found);
        results_->setRowCount(static_cast<int>(found_.size()));
        for (int row = 0; row < static_cast<int>(found_.size()); ++row) {
            const KeptTrace& t = *found_[static_cast<std::size_t>(row)];
            const QString subject = t.tag(u"customer").isEmpty() ? t.tag(u"deployment") : t.tag(u"customer");
            const bool sampled = t.summary().value(QStringLiteral("sampled")).toString() == u"head";
            const QStringList cells{t.tag(u"outcome"), subject, durationText(t.end() - t.start()),
                                    t.system() == u"deployments" ? QStringLiteral("deployment")
                                    : sampled                    ? QStringLiteral("sampled")
                                                                 : QStringLiteral("always"),
                                    t.traceId()};
            for (int c = 0; c < cells.size(); ++c) {
                results_->setItem(row, c, new QTableWidgetItem(cells[c]));
            }
        }
        status_->setText(QStringLiteral("%1 kept traces match (newest first).").arg(found_.size()));
        if (!found_.empty()) {
            const QSignalBlocker quiet(results_);
            results_->selectRow(0);
            show(found_.front());  // the selection may not have changed, the row did
        }
        Q_EMIT searched(static_cast<int>(found_.size()));
    });
}

void TraceView::showTrace(const QString& traceId) {
    for (const auto& t : found_) {
        if (t->traceId() == traceId) {
            show(t);
            return;
        }
    }
    TraceQuery q;
    q.traceId = traceId;
    q.limit = 1;
    query(q, [this, traceId](std::vector<std::shared_ptr<const KeptTrace>> found) {
        if (found.empty()) {
            status_->setText(QStringLiteral("Trace %1 was not kept (sampled out, or evicted).").arg(traceId));
            Q_EMIT notKept(traceId);
            return;
        }
        show(found.front());
    });
}

void TraceView::show(const std::shared_ptr<const KeptTrace>& trace) {
    current_ = trace;
    gantt_->setTrace(trace);
    const QJsonObject summary = trace->summary();
    const QString what =
        trace->system() == u"deployments"
            ? QStringLiteral("deployment ") + summary.value(QStringLiteral("deployment_id")).toString()
            : QStringLiteral("payment ") + summary.value(QStringLiteral("payment_id")).toString();
    status_->setText(QStringLiteral("Trace %1 · %2 · %3 · %4 spans")
                         .arg(trace->traceId(), what, trace->tag(u"outcome"))
                         .arg(trace->spans().size()));
    Q_EMIT shown(trace->traceId());
}

void TraceView::showAttributes(int index) {
    attributes_->setRowCount(0);
    if (!current_) {
        return;
    }
    const std::vector<Span> spans = current_->spans();
    if (index < 0 || index >= static_cast<int>(spans.size())) {
        return;
    }
    const Span& s = spans[static_cast<std::size_t>(index)];
    std::vector<std::pair<QString, QString>> rows{
        {QStringLiteral("span"), s.name},
        {QStringLiteral("span id"), spanIdHex(s.spanId)},
        {QStringLiteral("duration"), durationText(s.end - s.start)},
        {QStringLiteral("status"), s.error ? QStringLiteral("ERROR") : QStringLiteral("OK")}};
    for (const SpanAttribute& a : s.attributes) {
        rows.emplace_back(a.key, attributeText(a.value));
    }
    attributes_->setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        const auto& [key, value] = rows[static_cast<std::size_t>(r)];
        auto* item = new QTableWidgetItem(key + QStringLiteral(" = ") + value);
        item->setToolTip(item->text());
        attributes_->setItem(r, 0, item);
    }
}

}  // namespace tai::ui
