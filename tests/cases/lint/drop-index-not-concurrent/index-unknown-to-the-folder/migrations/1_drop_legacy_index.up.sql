-- Created by hand long ago: cairn has never seen it, so its table may be busy.
DROP INDEX IF EXISTS public.legacy_lookup_idx;
