{#-
    Which raw event types each MetricFlow metric is computed from, read from
    the project's own lineage (dbt's graph), never from a hand-kept list:
    metric -> input metrics -> semantic models -> their model -> upstream
    models, stopping at the per-event-type staging models
    (stg_events__<event_type>). Returns {metric_name: [event_type, ...]}.
    Only meaningful at execution time, when the graph is complete.
-#}
{% macro metric_source_event_types() %}
    {%- set event_types = event_contract().keys() | list -%}
    {%- set result = {} -%}
    {%- if not execute -%}
        {{ return(result) }}
    {%- endif -%}
    {%- for metric in graph.metrics.values() -%}
        {%- set queue = [metric.unique_id] -%}
        {%- set seen = [] -%}
        {%- set found = [] -%}
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
                    {%- do found.append(event_type) -%}
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
        {%- do result.update({metric.name: found | unique | sort}) -%}
    {%- endfor -%}
    {{ return(result) }}
{% endmacro %}
