{#-
    What each MetricFlow metric is computed from, read from the project's own
    lineage (dbt's graph), never from a hand-kept list: metric -> input
    metrics -> semantic models -> their model -> upstream models and sources.

    metric_lineage() returns {metric_name: {'event_types': [...],
    'other_sources': [...]}}:
    - event_types: the per-event-type staging models reached
      (stg_events__<event_type>, event types of the raw contract); the walk
      stops there, so the shared event-log plumbing above them (validation,
      dedup) does not make every metric depend on every event type;
    - other_sources: raw sources other than the event log, as
      '<source_name>.<table_name>' (e.g. finance.spend_actuals). The event log
      is the source the stg_events__* models read: it is described by the
      event types instead.
    Seeds are reference data, not feeds, and are not listed.
    Only meaningful at execution time, when the graph is complete.
-#}
{% macro metric_lineage() %}
    {%- set event_types = event_contract().keys() | list -%}
    {%- set result = {} -%}
    {%- if not execute -%}
        {{ return(result) }}
    {%- endif -%}
    {%- set event_log_sources = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model'
            and node.name.startswith('stg_events__') -%}
            {%- for parent_id in node.depends_on.nodes
                if parent_id.startswith('source.') -%}
                {%- do event_log_sources.append(parent_id) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for metric in graph.metrics.values() -%}
        {%- set queue = [metric.unique_id] -%}
        {%- set seen = [] -%}
        {%- set found_event_types = [] -%}
        {%- set found_sources = [] -%}
        {#- A bounded breadth-first walk: Jinja has no while loop. -#}
        {%- for step in range(5000) if queue -%}
            {%- set node_id = queue.pop(0) -%}
            {%- if node_id not in seen -%}
                {%- do seen.append(node_id) -%}
                {%- set node_name = node_id.split('.')[-1] -%}
                {%- set event_type = node_name.replace('stg_events__', '') -%}
                {%- if node_id.startswith('model.')
                    and node_name.startswith('stg_events__')
                    and event_type in event_types -%}
                    {%- do found_event_types.append(event_type) -%}
                {%- elif node_id.startswith('source.') -%}
                    {%- set source = graph.sources.get(node_id) -%}
                    {%- if source and node_id not in event_log_sources -%}
                        {%- do found_sources.append(
                            source.source_name ~ '.' ~ source.name) -%}
                    {%- endif -%}
                {%- else -%}
                    {%- set node = graph.metrics.get(node_id)
                        or graph.semantic_models.get(node_id)
                        or graph.nodes.get(node_id) -%}
                    {%- if node -%}
                        {%- do queue.extend(node.depends_on.nodes) -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do result.update({metric.name: {
            'event_types': found_event_types | unique | sort,
            'other_sources': found_sources | unique | sort,
        }}) -%}
    {%- endfor -%}
    {{ return(result) }}
{% endmacro %}

{#-
    {metric_name: [event_type, ...]}: the event types of metric_lineage(),
    what metric_health checks for completeness, staleness and quarantine.
-#}
{% macro metric_source_event_types() %}
    {%- set result = {} -%}
    {%- for metric_name, lineage in metric_lineage().items() -%}
        {%- do result.update({metric_name: lineage.event_types}) -%}
    {%- endfor -%}
    {{ return(result) }}
{% endmacro %}
