namespace Autoencoders.Tests.Training;

/// <summary>The records <see cref="RecordedRunTests"/> compares with; how they were captured is said there.</summary>
internal static class RecordedRuns
{
    public static readonly IReadOnlyDictionary<string, string> Expected = new Dictionary<string, string>
    {
        ["validation-fraction-patience-restore"] = """
            1/12 lr 0.01 train 14.846488157908121 reconstruction=14.846488157908121 val 15.420273780822754 reconstruction=15.420273780822754 best True warnings 0
            2/12 lr 0.01 train 12.6656387646993 reconstruction=12.6656387646993 val 12.242375373840332 reconstruction=12.242375373840332 best True warnings 0
            3/12 lr 0.01 train 8.719462951024374 reconstruction=8.719462951024374 val 9.792747497558594 reconstruction=9.792747497558594 best True warnings 0
            4/12 lr 0.3 train 456.7605362335841 reconstruction=456.7605362335841 val 18.007143020629883 reconstruction=18.007143020629883 best False warnings 0
            5/12 lr 0.3 train 16.107726017634075 reconstruction=16.107726017634075 val 14.165488243103027 reconstruction=14.165488243103027 best False warnings 0
            best 3 9.792747497558594 stopped True restored True
            weights D6520BAC2F95F6DA
            """,
        ["cosine-with-validation-set"] = """
            1/5 lr 0.003 train 15.022920846939087 reconstruction=15.022920846939087 val 13.990100860595703 reconstruction=13.990100860595703 best True warnings 0
            2/5 lr 0.0025753048327204937 train 13.59350574016571 reconstruction=13.59350574016571 val 12.338677406311035 reconstruction=12.338677406311035 best True warnings 0
            3/5 lr 0.0015500000000000002 train 11.899800062179565 reconstruction=11.899800062179565 val 11.008445739746094 reconstruction=11.008445739746094 best True warnings 0
            4/5 lr 0.0005246951672795063 train 10.856683135032654 reconstruction=10.856683135032654 val 10.55392074584961 reconstruction=10.55392074584961 best True warnings 0
            5/5 lr 0.0001 train 10.53209912776947 reconstruction=10.53209912776947 val 10.466253280639648 reconstruction=10.466253280639648 best True warnings 0
            best 5 10.466253280639648 stopped False restored False
            weights FDEB60403A7E0922
            """,
        ["step-schedule-clipping-adamw"] = """
            1/4 lr 0.01 train 11.40734013915062 reconstruction=11.40734013915062 best True warnings 0
            2/4 lr 0.01 train 2.854042336344719 reconstruction=2.854042336344719 best True warnings 0
            3/4 lr 0.005 train 0.8254333212971687 reconstruction=0.8254333212971687 best True warnings 0
            4/4 lr 0.005 train 0.3130370043218136 reconstruction=0.3130370043218136 best True warnings 0
            best 4 0.3130370043218136 stopped False restored False
            weights E7000DFEC10D09E3
            """,
        ["vae-kl-warmup"] = """
            1/4 lr 0.003 train 5.770916869173326 reconstruction=5.754364537029732 kl=0.01655233214359458 val 4.98540058452636 reconstruction=4.97588586807251 kl=0.00951471645385027 best True active_units=0 warnings 1
            2/4 lr 0.003 train 4.625283075869083 reconstruction=4.597006181391274 kl=0.028276894477809348 val 4.244419448077679 reconstruction=4.2024455070495605 kl=0.041973941028118134 best True active_units=0 warnings 0
            3/4 lr 0.003 train 3.858602055216708 reconstruction=3.8016342791115365 kl=0.0569677761051713 val 3.6119834780693054 reconstruction=3.5393567085266113 kl=0.07262676954269409 best True active_units=0 warnings 0
            4/4 lr 0.003 train 3.2894317812672473 reconstruction=3.2010650006736197 kl=0.08836678059362783 val 3.214303106069565 reconstruction=3.1161653995513916 kl=0.09813770651817322 best True active_units=0 warnings 0
            best 4 3.214303106069565 stopped False restored False
            warning Posterior collapse: only 0 of 3 latent units are active (their posterior means barely vary across the data), so the decoder ignores the code. Lower β, add KL warm-up (WarmupEpochs), or use a less powerful decoder.
            weights 246AD631A3D8D2FE
            """,
        ["denoising-masking-sgd-no-shuffle"] = """
            1/3 lr 0.05 train 2.9002976045012474 reconstruction=2.9002976045012474 best True warnings 0
            2/3 lr 0.05 train 1.3096086010336876 reconstruction=1.3096086010336876 best True warnings 0
            3/3 lr 0.05 train 1.2694325223565102 reconstruction=1.2694325223565102 best True warnings 0
            best 3 1.2694325223565102 stopped False restored False
            weights BA89DBC3DE24711F
            """,
        ["posterior-collapse-warning"] = """
            1/3 lr 0.01 train 10.675460547208786 reconstruction=4.623208254575729 kl=6.052252292633057 best True active_units=0 warnings 1
            2/3 lr 0.01 train 3.8829285204410553 reconstruction=2.588733196258545 kl=1.2941953241825104 best True active_units=0 warnings 0
            3/3 lr 0.01 train 2.437187422066927 reconstruction=1.9249639511108398 kl=0.5122234709560871 best True active_units=0 warnings 0
            best 3 2.437187422066927 stopped False restored False
            warning Posterior collapse: only 0 of 3 latent units are active (their posterior means barely vary across the data), so the decoder ignores the code. Lower β, add KL warm-up (WarmupEpochs), or use a less powerful decoder.
            weights 077C76A9342E6D7A
            """,
        ["identity-map-warning"] = """
            1/2 lr 0.001 train 5.845278859138489 reconstruction=5.845278859138489 best True warnings 1
            2/2 lr 0.001 train 5.437429308891296 reconstruction=5.437429308891296 best True warnings 0
            best 2 5.437429308891296 stopped False restored False
            warning The code (16 units) is at least as wide as the input (16 features) and nothing regularises it: the model can learn the identity map and nothing useful. Narrow the code, add input corruption (WithCorruption) or a penalty (sparsity, contractive).
            weights D03F5D8DEAAFD8AA
            """,
        ["checkpoint-cancel-then-resume-vae"] = """
            interrupted 1/6 lr 0.003 train 11.25226512104273 reconstruction=11.18690013885498 kl=0.06536498218774796 val 11.246402613818645 reconstruction=11.193403244018555 kl=0.05299936980009079 best True active_units=0 warnings 1
            interrupted 2/6 lr 0.002713525491562421 train 11.218581528961659 reconstruction=11.169398307800293 kl=0.04918322116136551 val 11.206720869988203 reconstruction=11.162976264953613 kl=0.04374460503458977 best True active_units=0 warnings 0
            interrupted 3/6 lr 0.0019635254915624212 train 11.190521410852671 reconstruction=11.148469734191895 kl=0.04205167666077614 val 11.191358756273985 reconstruction=11.15200138092041 kl=0.03935737535357475 best True active_units=0 warnings 0
            interrupted weights 9A755037F05D0750
            checkpoint left behind False
            1/6 lr 0.003 train 11.25226512104273 reconstruction=11.18690013885498 kl=0.06536498218774796 val 11.246402613818645 reconstruction=11.193403244018555 kl=0.05299936980009079 best True active_units=0 warnings 1
            2/6 lr 0.002713525491562421 train 11.218581528961659 reconstruction=11.169398307800293 kl=0.04918322116136551 val 11.206720869988203 reconstruction=11.162976264953613 kl=0.04374460503458977 best True active_units=0 warnings 0
            3/6 lr 0.0019635254915624212 train 11.190521410852671 reconstruction=11.148469734191895 kl=0.04205167666077614 val 11.191358756273985 reconstruction=11.15200138092041 kl=0.03935737535357475 best True active_units=0 warnings 0
            4/6 lr 0.001036474508437579 train 11.177804137021303 reconstruction=11.139218521118163 kl=0.038585615903139116 val 11.186908531934023 reconstruction=11.149593353271484 kl=0.03731517866253853 best True active_units=0 warnings 0
            5/6 lr 0.000286474508437579 train 11.177467632293702 reconstruction=11.14033546447754 kl=0.03713216781616211 val 11.187291108071804 reconstruction=11.15050983428955 kl=0.036781273782253265 best False active_units=0 warnings 0
            6/6 lr 0 train 11.171697738021612 reconstruction=11.134873580932616 kl=0.03682415708899498 val 11.181966744363308 reconstruction=11.145185470581055 kl=0.036781273782253265 best True active_units=0 warnings 0
            best 6 11.181966744363308 stopped False restored False
            warning Posterior collapse: only 0 of 3 latent units are active (their posterior means barely vary across the data), so the decoder ignores the code. Lower β, add KL warm-up (WarmupEpochs), or use a less powerful decoder.
            weights DB1F02A5CC05F519
            """,
        ["checkpoint-cancel-then-resume-early-stop"] = """
            interrupted 1/10 lr 0.01 train 4.143984581629435 reconstruction=4.143984581629435 val 3.5070340633392334 reconstruction=3.5070340633392334 best True warnings 0
            interrupted 2/10 lr 0.01 train 3.0401633548736573 reconstruction=3.0401633548736573 val 2.1592416763305664 reconstruction=2.1592416763305664 best True warnings 0
            interrupted 3/10 lr 0.3 train 222.04538146972655 reconstruction=222.04538146972655 val 200.61988830566406 reconstruction=200.61988830566406 best False warnings 0
            interrupted weights 9D8E895E6EF93219
            checkpoint left behind False
            1/10 lr 0.01 train 4.143984581629435 reconstruction=4.143984581629435 val 3.5070340633392334 reconstruction=3.5070340633392334 best True warnings 0
            2/10 lr 0.01 train 3.0401633548736573 reconstruction=3.0401633548736573 val 2.1592416763305664 reconstruction=2.1592416763305664 best True warnings 0
            3/10 lr 0.3 train 222.04538146972655 reconstruction=222.04538146972655 val 200.61988830566406 reconstruction=200.61988830566406 best False warnings 0
            4/10 lr 0.3 train 75.22018969217936 reconstruction=75.22018969217936 val 4.769250392913818 reconstruction=4.769250392913818 best False warnings 0
            5/10 lr 9 train 159390692.68682018 reconstruction=159390692.68682018 val 90260432 reconstruction=90260432 best False warnings 0
            best 2 2.1592416763305664 stopped True restored True
            weights DFD5D8EDA1AF517D
            """,
        ["diverged-unscaled-data"] = """
            The loss became non-finite at epoch 1, batch 1: term 'reconstruction' is Infinity. The (scaled) training data reaches |x| = 3.42e+19: fit a StandardScaler or MinMaxScaler on the training data and set model.Scaler before training.
            at 1/1 reconstruction
            weights 92BD04BE7F79339E
            """,
        ["diverged-learning-rate"] = """
            The loss became non-finite at epoch 1, batch 3: term 'reconstruction' is NaN. The training data is scaled (|x| ≤ 4.95), so the learning rate (1e+03) is the likely cause: lower it (1e-3 suits Adam), or set GradientClipNorm.
            at 1/3 reconstruction
            weights 0F9D4B82C24AE6F0
            """,
    };
}
